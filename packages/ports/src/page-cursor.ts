import { badInput } from './errors';

type CursorEntry<K extends string> = { [field in K]: string } & { id: string };

/**
 * Opaque page cursors that name the last item a page showed (its timestamp and id) rather
 * than a position, so items added while a client pages through never shift the next page.
 * A cursor that this codec did not issue is BAD_USER_INPUT on `afterCursor`.
 */
export const pageCursor = <K extends string>(timeField: K) => ({
  encode: (entry: CursorEntry<K>): string =>
    Buffer.from(JSON.stringify({ [timeField]: entry[timeField], id: entry.id }), 'utf8').toString('base64url'),

  decode: (cursor: string): CursorEntry<K> => {
    const invalid = badInput('afterCursor', 'afterCursor is not a cursor this service issued');
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalid;
    }
    const fields = parsed as Record<string, unknown> | null;
    const time = fields?.[timeField];
    const id = fields?.id;
    if (typeof time !== 'string' || time === '' || typeof id !== 'string' || id === '') throw invalid;
    return { [timeField]: time, id } as CursorEntry<K>;
  },
});
