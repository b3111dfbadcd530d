import { createHash } from 'node:crypto';
import { systemClock, type Clock } from './clock';
import type { HeldLease, Leases } from './lease';
import { conditionalDelete, conditionalUpsert, readRecord, retryOnConflict } from './records';
import type { StateStore, TransactionOperation } from './state-store';

/**
 * The outbox of domain events: every event is written, in the transaction of its change, to one of OUTBOX_SHARDS
 * records `domain-events-outbox:<shard>` (by entity id, so one entity's events stay in order), and leaves it only
 * once published. The service publishes right after the commit and then removes what it published; whatever a
 * failed publish or a crash left behind is published later by the OutboxRelay. Delivery is therefore at least
 * once: an event may be published twice (a crash after the publish and before the removal, a relay that lost its
 * lease mid-way), and subscribers drop an event id they have already seen.
 *
 * The outbox holds only what is not yet published: while the broker answers it stays empty, while it does not it
 * grows by every change until the relay can publish again.
 */
export const OUTBOX_SHARDS = 64;
/** Relays take the shards in this many groups (shard % OUTBOX_RELAY_GROUPS), a lease and one bulk read per group. */
export const OUTBOX_RELAY_GROUPS = 8;
export const outboxKey = (shard: number): string => `domain-events-outbox:${shard}`;
const outboxShardOf = (entityId: string) =>
  createHash('sha1').update(entityId).digest().readUInt32BE(0) % OUTBOX_SHARDS;

/** What the outbox needs of an event (a DomainEvent, domain-events.ts). */
export interface OutboxEvent {
  id: string;
  entityId: string;
  /** ISO-8601 UTC. */
  createdAt: string;
}

interface OutboxRecord<E> {
  pending: E[];
}

/** The writes that put `events` in the outbox, for the caller to commit with the change they describe. */
export const outboxWrites = async <E extends OutboxEvent>(
  store: StateStore,
  events: readonly E[],
): Promise<TransactionOperation[]> => {
  const byShard = new Map<number, E[]>();
  for (const event of events) {
    const shard = outboxShardOf(event.entityId);
    byShard.set(shard, [...(byShard.get(shard) ?? []), event]);
  }
  return Promise.all(
    [...byShard].map(async ([shard, added]) => {
      const read = await readRecord<OutboxRecord<E>>(store, outboxKey(shard));
      return conditionalUpsert(read, { pending: [...(read.value?.pending ?? []), ...added] });
    }),
  );
};

/** Takes the published events out of the outbox (a conflict re-reads; the record goes once empty). */
export const removeFromOutbox = async (store: StateStore, published: readonly OutboxEvent[]): Promise<void> => {
  const shards = new Set(published.map((event) => outboxShardOf(event.entityId)));
  const ids = new Set(published.map((event) => event.id));
  await Promise.all(
    [...shards].map((shard) =>
      retryOnConflict('the domain events outbox', async () => {
        const read = await readRecord<OutboxRecord<OutboxEvent>>(store, outboxKey(shard));
        const pending = read.value?.pending ?? [];
        const left = pending.filter((event) => !ids.has(event.id));
        if (left.length === pending.length) return;
        await store.transact([
          left.length === 0 ? conditionalDelete(read) : conditionalUpsert(read, { pending: left }),
        ]);
      }),
    ),
  );
};

export interface OutboxRelayOptions<E extends OutboxEvent> {
  store: StateStore;
  /** Publishes one event; a rejection leaves it (and the rest of its shard, to keep order) for the next round. */
  publish: (event: E) => Promise<void>;
  /** One relay per group of shards at a time across replicas: whoever holds `domain-events-outbox-relay:<group>`. */
  leases: Leases;
  /** How long a lease lasts unless renewed: the Leases' ttlMs (a dead relay's shards are taken over after it). */
  leaseTtlMs: number;
  /** Between rounds. */
  intervalMs?: number;
  /** An event younger than this is left to the service that committed it, which is publishing it right now. */
  graceMs?: number;
  clock?: Clock;
  onError?: (error: unknown) => void;
}

export const relayLeaseKey = (group: number): string => `domain-events-outbox-relay:${group}`;

/**
 * Publishes what the outbox still holds after `graceMs`, in order per shard, then removes it. Each replica runs
 * one; a group of shards is worked by the replica holding its lease (Leases on the state store), so two replicas do
 * not publish the same shard side by side. The only state kept in memory is which leases this replica holds.
 */
export class OutboxRelay<E extends OutboxEvent = OutboxEvent> {
  private readonly held = new Map<number, HeldLease>();
  private timer?: NodeJS.Timeout;
  private round?: Promise<number>;
  private readonly clock: Clock;

  constructor(private readonly options: OutboxRelayOptions<E>) {
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) => this.options.onError?.(error));
    }, this.options.intervalMs ?? 1_000);
    this.timer.unref();
  }

  /** Stops the rounds and gives up this relay's leases, so another replica's relay takes over at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round?.catch(() => undefined);
    await Promise.all(
      [...this.held.values()].map((lease) => this.options.leases.release(lease).catch(() => undefined)),
    );
    this.held.clear();
  }

  /** One round over every shard whose lease this relay holds or can take; how many events it published. */
  runOnce(): Promise<number> {
    this.round ??= this.relayAll().finally(() => (this.round = undefined));
    return this.round;
  }

  private async relayAll(): Promise<number> {
    let published = 0;
    for (let group = 0; group < OUTBOX_RELAY_GROUPS; group += 1) {
      const lease = await this.leaseOf(group);
      if (lease) published += await this.relayGroup(group, lease);
    }
    return published;
  }

  /**
   * This relay's lease on the group, renewed once two thirds of it are used (rounds are far more frequent than
   * that); undefined while another relay has it.
   */
  private async leaseOf(group: number): Promise<HeldLease | undefined> {
    const { leases, leaseTtlMs } = this.options;
    const lease = this.held.get(group);
    if (lease?.held()) {
      const left = lease.expiresAt.getTime() - this.clock.now().getTime();
      if (left > leaseTtlMs / 3 || (await leases.renew(lease))) return lease;
    }
    this.held.delete(group);
    const taken = await leases.tryAcquire(relayLeaseKey(group));
    if (taken) this.held.set(group, taken);
    return taken;
  }

  /** Publishes the due events of the group's shards, each shard in order up to its first failure. */
  private async relayGroup(group: number, lease: HeldLease): Promise<number> {
    const { store, publish, graceMs = 5_000 } = this.options;
    const keys = Array.from({ length: OUTBOX_SHARDS / OUTBOX_RELAY_GROUPS }, (_, n) =>
      outboxKey(group + n * OUTBOX_RELAY_GROUPS),
    );
    const records = await store.getBulk<OutboxRecord<E>>(keys);
    const dueBy = new Date(this.clock.now().getTime() - graceMs).toISOString();
    const published: E[] = [];
    for (const record of records.values()) {
      for (const event of record.value.pending) {
        if (event.createdAt > dueBy || !lease.held()) break;
        try {
          await publish(event);
        } catch (error) {
          this.options.onError?.(error);
          break;
        }
        published.push(event);
      }
    }
    if (published.length > 0) await removeFromOutbox(store, published);
    return published.length;
  }
}
