/**
 * The event trail's cost under many changes of one type in one hour (issue 17's type index): `--events` changes of
 * as many entities, `--writers` at a time, each a decline-like read-decide-write that commits the entity's record
 * and its event in one transaction (`EventLog.commit`), retried on conflicts like the services do. Runs on the
 * embedded state store in memory and on disk, each call delayed by `--latency-ms` (a sidecar round trip; 0: none),
 * all events in one hour (a fixed clock moving 1 ms per event). Prints, per store: changes per second, the rate
 * over each quarter (does it fall as the hour's index grows?), the conflicts retried per change and the largest
 * type-index record, and how many changes gave up (still conflicting after MAX_CONFLICT_ATTEMPTS). Figures only: nothing here passes or fails.
 *
 * With `--outbox` each event is also published (to nothing), so it goes in and out of the outbox as in the services.
 *
 * npx tsx bench/event-type-index.ts [--events 20000] [--writers 32] [--latency-ms 1] [--outbox]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  AppError,
  ConcurrencyConflictError,
  conditionalUpsert,
  createEventLog,
  readRecord,
  retryOnConflict,
  type StateEntry,
  type StateStore,
  type TransactionOperation,
  type WriteCondition,
} from '@sitter/ports';
import { EmbeddedStateStore, PersistentStateStore } from '@sitter/embedded-runtime';

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    writers: { type: 'string', default: '32' },
    'latency-ms': { type: 'string', default: '1' },
    /** Publish each event (to nothing) after its commit: the events also go through the outbox. */
    outbox: { type: 'boolean', default: false },
  },
});
const events = Number(flags.events);
const writers = Number(flags.writers);
const latencyMs = Number(flags['latency-ms']);
const TYPE = 'APPLICATION_DECLINED';

/** A store whose every call takes `latencyMs` longer, and which counts the conflicts and the largest record read. */
class MeasuredStore implements StateStore {
  conflicts = 0;
  largestTypeIndexBytes = 0;

  constructor(private readonly inner: StateStore) {}

  private async delay(): Promise<void> {
    if (latencyMs > 0) await sleep(latencyMs);
  }

  private measure(key: string, value: unknown): void {
    if (!key.startsWith(`events-by-type:${TYPE}:`)) return;
    const bytes = JSON.stringify(value).length;
    if (bytes > this.largestTypeIndexBytes) this.largestTypeIndexBytes = bytes;
  }

  async get<T>(key: string): Promise<StateEntry<T> | undefined> {
    await this.delay();
    const entry = await this.inner.get<T>(key);
    if (entry) this.measure(key, entry.value);
    return entry;
  }

  async getBulk<T>(keys: readonly string[]): Promise<Map<string, StateEntry<T>>> {
    await this.delay();
    return this.inner.getBulk<T>(keys);
  }

  async save<T>(key: string, value: T, condition?: WriteCondition): Promise<void> {
    await this.transact([{ operation: 'upsert', key, value, ...condition }]);
  }

  async delete(key: string, condition?: { etag?: string }): Promise<void> {
    await this.transact([{ operation: 'delete', key, ...condition }]);
  }

  async transact(operations: readonly TransactionOperation[]): Promise<void> {
    await this.delay();
    try {
      await this.inner.transact(operations);
    } catch (error) {
      if (error instanceof ConcurrencyConflictError) this.conflicts += 1;
      throw error;
    }
  }
}

interface Result {
  name: string;
  changesPerSecond: number;
  quarterRates: number[];
  conflictsPerChange: number;
  /** Changes that still conflicted after MAX_CONFLICT_ATTEMPTS (the services answer CONFLICT: try again). */
  gaveUp: number;
  largestTypeIndexKiB: number;
}

const drive = async (name: string, inner: StateStore): Promise<Result> => {
  const store = new MeasuredStore(inner);
  let tick = Date.parse('2026-12-03T10:00:00.000Z');
  let serial = 0;
  const log = createEventLog({
    store,
    clock: { now: () => new Date(tick++) },
    newId: () => `event-${(serial += 1)}`,
    requestId: () => undefined,
    publish: flags.outbox ? async () => undefined : undefined,
  });
  for (let n = 0; n < events; n += 1) await inner.save(`application:${n}`, { id: `a${n}`, status: 'PENDING' });
  const doneAt: number[] = [];
  let next = 0;
  let gaveUp = 0;
  const started = performance.now();
  const writer = async () => {
    while (next < events) {
      const n = next++;
      await retryOnConflict('the application', async () => {
        const read = await readRecord<{ id: string; status: string }>(store, `application:${n}`);
        const declined = { ...read.value!, status: 'DECLINED' };
        const event = log.stamp({ type: TYPE, entity: 'APPLICATION', entityId: `a${n}`, owners: ['p'], value: {} });
        await log.commit([conditionalUpsert(read, declined)], [event]);
      }).catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
        gaveUp += 1;
      });
      doneAt.push(performance.now());
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  const elapsed = performance.now() - started;
  const quarter = Math.floor(events / 4);
  const quarterRates = [0, 1, 2, 3].map((q) => {
    const from = q === 0 ? started : doneAt[q * quarter - 1];
    const to = doneAt[Math.min(events, (q + 1) * quarter) - 1];
    return Math.round((quarter / (to - from)) * 1000);
  });
  return {
    name,
    changesPerSecond: Math.round((events / elapsed) * 1000),
    quarterRates,
    conflictsPerChange: store.conflicts / events,
    gaveUp,
    largestTypeIndexKiB: store.largestTypeIndexBytes / 1024,
  };
};

const onDisk = async (): Promise<Result> => {
  const directory = await mkdtemp(join(tmpdir(), 'sitter-bench-events-'));
  try {
    const persistent = await PersistentStateStore.open(directory);
    try {
      return await drive('on disk', persistent.store);
    } finally {
      await persistent.close();
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
};

const main = async () => {
  console.log(
    `${events} ${TYPE} changes in one hour, ${writers} at a time, ${latencyMs} ms per store call` +
      `${flags.outbox ? ', through the outbox' : ''} (node ${process.version})`,
  );
  const results = [await drive('in memory', new EmbeddedStateStore()), await onDisk()];
  for (const result of results) {
    console.log(
      `${result.name.padEnd(10)} ${String(result.changesPerSecond).padStart(6)} changes/s   ` +
        `per quarter ${result.quarterRates.join(' / ')}   ` +
        `conflicts ${result.conflictsPerChange.toFixed(2)} per change   gave up ${result.gaveUp}   ` +
        `largest type-index record ${result.largestTypeIndexKiB.toFixed(1)} KiB`,
    );
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
