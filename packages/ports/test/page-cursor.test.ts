import { AppError, pageCursor } from '../src';

const cursor = pageCursor('createdOn');

const rejection = (attempt: () => unknown): AppError | undefined => {
  try {
    attempt();
  } catch (error) {
    return error as AppError;
  }
  return undefined;
};

describe('page cursor', () => {
  it('when a cursor is decoded, then it names the same item it was made from', () => {
    const encoded = cursor.encode({ createdOn: '2027-01-01T10:00:00.000Z', id: 'job-1' });

    expect(cursor.decode(encoded)).toEqual({ createdOn: '2027-01-01T10:00:00.000Z', id: 'job-1' });
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['not JSON', Buffer.from('{broken').toString('base64url')],
    ['another field', Buffer.from(JSON.stringify({ createdAt: 'x', id: 'y' })).toString('base64url')],
    ['an empty id', Buffer.from(JSON.stringify({ createdOn: 'x', id: '' })).toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
  ])('when the cursor is %s, then it is BAD_USER_INPUT on afterCursor', (_label, text) => {
    const error = rejection(() => cursor.decode(text));

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'afterCursor' });
  });
});
