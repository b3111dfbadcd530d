import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock, type Clock } from './clock';
import { DependencyUnavailableError } from './errors';
import { conditionalDelete, conditionalUpsert, readRecord, type Read } from './records';
import { ConcurrencyConflictError, type StateStore } from './state-store';

/**
 * Leases on the state store: one holder per key at a time, across processes, for as long as the holder keeps
 * renewing. A lease is a record `{ holder, expiresAt, grant }` written only if absent, expired, or already the
 * holder's (each write conditional on the ETag read); whoever finds it expired may take it over. A holder that
 * dies is therefore replaced at most `ttlMs` later. Holders' clocks must agree to well within `ttlMs`.
 *
 * A lease narrows who acts; it does not fence: a holder paused beyond its expiry may still finish a write, so
 * what it guards must stay correct under ETag conditions and repeatable steps alone.
 */
export interface LeaseRecord {
  holder: string;
  /** ISO-8601. */
  expiresAt: string;
  /** Unique per acquisition or renewal, so the holder can tell its own write when it reads it back. */
  grant: string;
}

/** A lease as held: the ETag of the holder's last write, which its renewal and release are conditional on. */
export interface HeldLease {
  readonly key: string;
  etag: string;
  expiresAt: Date;
  /** False once a renewal failed or the lease expired while held: the holder must stop acting on the key. */
  held(): boolean;
}

/** The key's lease stayed with another holder for as long as the caller would wait. */
export class LeaseBusyError extends DependencyUnavailableError {
  constructor(readonly key: string) {
    super('lease', `${key} is held by another process; try again`, { retryAfterSeconds: 1 });
    this.name = 'LeaseBusyError';
  }
}

export interface LeaseOptions {
  /** How long a lease lasts without renewal; `run` renews it every third of this. */
  ttlMs: number;
  /** Wall clock the expiry is measured on (the system's unless a test moves time). */
  clock?: Clock;
  /** Who holds; unique per process unless given. */
  holder?: string;
}

const POLL_MS = { first: 20, max: 250 };

export class Leases {
  readonly holder: string;
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly store: StateStore,
    options: LeaseOptions,
  ) {
    this.ttlMs = options.ttlMs;
    this.clock = options.clock ?? systemClock;
    this.holder = options.holder ?? randomUUID();
  }

  /** The lease on `key` if it is free, expired or already this holder's; undefined while another holds it. */
  async tryAcquire(key: string): Promise<HeldLease | undefined> {
    const read = await readRecord<LeaseRecord>(this.store, key);
    if (read.value && read.value.holder !== this.holder && !this.expired(read.value)) return undefined;
    return this.write(read);
  }

  /** Waits up to `waitMs` for the lease (a dead holder's expires after `ttlMs`); LeaseBusyError after that. */
  async acquire(key: string, waitMs: number): Promise<HeldLease> {
    const giveUpAt = Date.now() + waitMs;
    for (let pause = POLL_MS.first; ; pause = Math.min(pause * 2, POLL_MS.max)) {
      const lease = await this.tryAcquire(key);
      if (lease) return lease;
      if (Date.now() >= giveUpAt) throw new LeaseBusyError(key);
      await sleep(pause * (0.5 + Math.random()));
    }
  }

  /** Extends the lease by `ttlMs`; false (and the lease no longer held) if it was taken over meanwhile. */
  async renew(lease: HeldLease): Promise<boolean> {
    if (!lease.held()) return false;
    const renewed = await this.write({ key: lease.key, etag: lease.etag, value: undefined });
    if (!renewed) {
      (lease as MutableLease).lost = true;
      return false;
    }
    lease.etag = renewed.etag;
    lease.expiresAt = renewed.expiresAt;
    return true;
  }

  /** Gives the lease up now; a lease taken over meanwhile is left to its new holder. */
  async release(lease: HeldLease): Promise<void> {
    (lease as MutableLease).lost = true;
    await this.store.transact([conditionalDelete(lease)]).catch((error: unknown) => {
      if (!(error instanceof ConcurrencyConflictError)) throw error;
    });
  }

  /**
   * Runs `work` holding the lease on `key` (waiting up to `waitMs` for it), renewing it meanwhile and releasing
   * it afterwards. `work` should check `lease.held()` before each thing it does on the key.
   */
  async run<T>(key: string, waitMs: number, work: (lease: HeldLease) => Promise<T>): Promise<T> {
    const lease = await this.acquire(key, waitMs);
    let renewing: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing.then(() => this.renew(lease)).catch(() => ((lease as MutableLease).lost = true));
    }, this.ttlMs / 3);
    timer.unref();
    try {
      return await work(lease);
    } finally {
      clearInterval(timer);
      await renewing;
      await this.release(lease).catch(() => undefined);
    }
  }

  private expired(record: LeaseRecord): boolean {
    return Date.parse(record.expiresAt) <= this.clock.now().getTime();
  }

  /** Writes this holder's lease over what was read; undefined if someone wrote it since. */
  private async write(read: Read<LeaseRecord>): Promise<MutableLease | undefined> {
    const expiresAt = new Date(this.clock.now().getTime() + this.ttlMs);
    const record: LeaseRecord = { holder: this.holder, expiresAt: expiresAt.toISOString(), grant: randomUUID() };
    try {
      await this.store.transact([conditionalUpsert(read, record)]);
    } catch (error) {
      if (error instanceof ConcurrencyConflictError) return undefined;
      throw error;
    }
    // The store does not hand back the new ETag: read it, and make sure the entry read is still this write.
    const written = await this.store.get<LeaseRecord>(read.key);
    if (written?.value.grant !== record.grant) return undefined;
    return new MutableLease(read.key, written.etag, expiresAt, this.clock);
  }
}

class MutableLease implements HeldLease {
  lost = false;

  constructor(
    readonly key: string,
    public etag: string,
    public expiresAt: Date,
    private readonly clock: Clock,
  ) {}

  held(): boolean {
    return !this.lost && this.clock.now().getTime() < this.expiresAt.getTime();
  }
}
