import type { StateStore, TransactionOperation } from '@sitter/ports';

/** A record as read, with what a write needs to be conditional on that read. */
export interface Read<T> {
  key: string;
  value: T | undefined;
  /** Undefined while the record does not exist. */
  etag?: string;
}

export const readRecord = async <T>(store: StateStore, key: string): Promise<Read<T>> => {
  const entry = await store.get<T>(key);
  return { key, value: entry?.value, etag: entry?.etag };
};

/** Writes the record only if nobody wrote it since it was read (or, if it was absent, created it). */
export const conditionalUpsert = <T>(read: Read<T>, value: T): TransactionOperation => ({
  operation: 'upsert',
  key: read.key,
  value,
  ...(read.etag === undefined ? { onlyIfAbsent: true } : { etag: read.etag }),
});

export const conditionalDelete = (read: Read<unknown>): TransactionOperation => ({
  operation: 'delete',
  key: read.key,
  etag: read.etag,
});

export const createOnly = (key: string, value: unknown): TransactionOperation => ({
  operation: 'upsert',
  key,
  value,
  onlyIfAbsent: true,
});
