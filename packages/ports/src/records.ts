import { setTimeout as sleep } from 'node:timers/promises';
import { conflict } from './errors';
import { ConcurrencyConflictError, type StateStore, type TransactionOperation } from './state-store';

/**
 * The one way the services read and write records: every write is conditional on what was read, and a lost
 * race is run again from a fresh read (`retryOnConflict`).
 */

/** Which version of a record a write is conditional on: its ETag, or none while the record does not exist. */
export interface RecordVersion {
  key: string;
  /** Undefined while the record does not exist. */
  etag?: string;
}

/** A record as read, with what a write needs to be conditional on that read. */
export interface Read<T> extends RecordVersion {
  value: T | undefined;
}

export const readRecord = async <T>(store: StateStore, key: string): Promise<Read<T>> => {
  const entry = await store.get<T>(key);
  return { key, value: entry?.value, etag: entry?.etag };
};

/** Creates the record; the transaction fails with a conflict if it already exists. */
export const createOnly = (key: string, value: unknown): TransactionOperation => ({
  operation: 'upsert',
  key,
  value,
  onlyIfAbsent: true,
});

/** Writes the record only if nobody wrote it since it was read (or, if it was absent, nobody created it). */
export const conditionalUpsert = <T>(read: RecordVersion, value: T): TransactionOperation => ({
  operation: 'upsert',
  key: read.key,
  value,
  ...(read.etag === undefined ? { onlyIfAbsent: true } : { etag: read.etag }),
});

/** Deletes the record only if nobody wrote it since it was read. */
export const conditionalDelete = (read: RecordVersion): TransactionOperation => ({
  operation: 'delete',
  key: read.key,
  etag: read.etag,
});

/** How many times a read-decide-write runs before a caller is told to try again later. */
export const MAX_CONFLICT_ATTEMPTS = 25;

/** A short random pause after the `attempt`-th conflict, so contenders do not collide again in lockstep. */
export const pauseAfterConflict = (attempt: number): Promise<void> => sleep(Math.random() * Math.min(2 * attempt, 20));

/**
 * Runs a read-decide-write again while its conditional write loses to a concurrent one (a shared index
 * record, usually). `work` must re-read everything it writes, so each attempt decides on fresh state. After
 * MAX_CONFLICT_ATTEMPTS, a CONFLICT saying "<what> kept changing concurrently; try again".
 */
export const retryOnConflict = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError)) throw error;
      if (attempt >= MAX_CONFLICT_ATTEMPTS) throw conflict(`${what} kept changing concurrently; try again`);
      await pauseAfterConflict(attempt);
    }
  }
};
