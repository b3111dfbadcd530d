import { createHash } from 'node:crypto';
import type { Actor } from './actor';
import { isAdmin } from './actor';
import { badInput, forbidden } from './errors';
import { pageCursor } from './page-cursor';
import { conditionalUpsert, createOnly, readRecord, type Read } from './records';
import type { StateStore, TransactionOperation } from './state-store';
import { outboxWrites, removeFromOutbox } from './domain-events-outbox';
import { inWindow, timeWindow, type TimeWindow } from './time-bounds';

/**
 * The audit trail. Every change of a user, job, application or booking is written as a DomainEvent in the same
 * transaction as the change (`eventWrites`), so a committed change always has its event and an event always its
 * committed change. Two indexes are kept with it, both bucketed by time so that no record grows without bound
 * and a query reads only the buckets its window covers:
 *
 * - by entity: `events-by-entity:<entity>:<id>` (the months that have events) and `…:<yyyy-mm>` (those events);
 * - by type: `events-by-type:<type>` (the hours that have events) and, per hour, EVENT_TYPE_SHARDS shards of
 *   references to the events (id, time, entity), split by entity id so that concurrent changes of different
 *   entities rarely write the same record. A shard is a chain of pages of at most EVENT_TYPE_PAGE references:
 *   `…:<yyyy-mm-ddThh>:<shard>` is its first page and says how many more there are (`pages`), which are
 *   `…:<yyyy-mm-ddThh>:<shard>:<n>` for n = 1…pages. A change rewrites only the shard's last page, so no write
 *   copies more than a page whatever the hour's volume; a page reads the events from the entity buckets.
 *
 * The entity's own records are already written conditionally, so its bucket adds no new contention; a page of a
 * type shard may, and a conflict there is retried like any other (`retryOnConflict`).
 *
 * Records written before the pages (a shard of 16, one record per shard and hour, without `pages`) read as a
 * first page with no more pages; one longer than EVENT_TYPE_PAGE counts as full, so the next change of its shard
 * starts page 1. A shard number below 16 names the same record in both layouts.
 */
export const EVENT_ENTITIES = ['USER', 'JOB', 'APPLICATION', 'BOOKING'] as const;
export type EventEntity = (typeof EVENT_ENTITIES)[number];

export interface DomainEvent<V = unknown> {
  id: string;
  type: string;
  entity: EventEntity;
  entityId: string;
  /** The request that made the change (the gateway's request id), or `system` for the service's own work. */
  requestId: string;
  /** The username that made the change, or `system`. */
  actor: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  /** Who may read the event besides ADMIN: the usernames the entity belongs to. */
  owners: string[];
  /** The entity as it is after the change (never secrets: a booking's public view). */
  value: V;
  /** What anyone may see of the entity after the change, when the service publishes it beyond its owners. */
  publicValue?: unknown;
}

export const SYSTEM_ACTOR = 'system';
export const EVENT_TYPE_SHARDS = 64;
/** References per page of a type shard; a commit's own references may take a page beyond it. */
export const EVENT_TYPE_PAGE = 128;

interface Bucket {
  events: DomainEvent[];
}

/** What the type index keeps of an event: enough to order it and find it in its entity's bucket. */
interface EventRef {
  id: string;
  createdAt: string;
  entity: EventEntity;
  entityId: string;
}

interface RefPage {
  refs: EventRef[];
  /** On a shard's first page only: how many pages follow it (absent: none). */
  pages?: number;
}

interface BucketList {
  buckets: string[];
}

const entityHead = (entity: EventEntity, entityId: string) => `events-by-entity:${entity}:${entityId}`;
const typeHead = (type: string) => `events-by-type:${type}`;
const shardOf = (entityId: string) => createHash('sha1').update(entityId).digest().readUInt32BE(0) % EVENT_TYPE_SHARDS;

const entityBucket = (event: DomainEvent) => event.createdAt.slice(0, 7);
const typeBucket = (event: DomainEvent) => event.createdAt.slice(0, 13);
const entityBucketKey = (ref: EventRef) => `${entityHead(ref.entity, ref.entityId)}:${ref.createdAt.slice(0, 7)}`;

type Ordered = { id: string; createdAt: string };

/**
 * Oldest first. Events of one millisecond keep the order they were appended in (the sort is stable): an entity's
 * changes are appended in commit order, which random ids would not keep (a booking requested and cancelled within
 * one millisecond).
 */
const byTime = (a: Ordered, b: Ordered): number => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0);

/** The entries after the cursor's: by position where the cursor's entry is among them, else by time. */
const afterCursor = <E extends Ordered>(sorted: E[], after: Ordered | undefined): E[] => {
  if (after === undefined) return sorted;
  const at = sorted.findIndex((entry) => entry.id === after.id);
  return at >= 0 ? sorted.slice(at + 1) : sorted.filter((entry) => entry.createdAt > after.createdAt);
};

/** The writes that append `added` to a type shard: to its last page while it has room, else to a new page. */
const typeShardWrites = async (store: StateStore, shardKey: string, added: EventRef[]) => {
  const first = await readRecord<RefPage>(store, shardKey);
  const pages = first.value?.pages ?? 0;
  const last = pages === 0 ? first : await readRecord<RefPage>(store, `${shardKey}:${pages}`);
  const lastRefs = last.value?.refs ?? [];
  if (lastRefs.length < EVENT_TYPE_PAGE) {
    return [conditionalUpsert(last, { ...last.value, refs: [...lastRefs, ...added] })];
  }
  return [
    createOnly(`${shardKey}:${pages + 1}`, { refs: added }),
    conditionalUpsert(first, { refs: first.value?.refs ?? [], pages: pages + 1 }),
  ];
};

/** The writes that record `events`, for the caller to commit with the change they describe. */
export const eventWrites = async (
  store: StateStore,
  events: readonly DomainEvent[],
): Promise<TransactionOperation[]> => {
  const entityAppends = new Map<string, DomainEvent[]>();
  const typeAppends = new Map<string, EventRef[]>();
  const heads = new Map<string, Set<string>>();
  const note = <E>(appends: Map<string, E[]>, headKey: string, bucket: string, recordKey: string, entry: E) => {
    appends.set(recordKey, [...(appends.get(recordKey) ?? []), entry]);
    heads.set(headKey, (heads.get(headKey) ?? new Set()).add(bucket));
  };
  for (const event of events) {
    const byEntity = entityHead(event.entity, event.entityId);
    note(entityAppends, byEntity, entityBucket(event), `${byEntity}:${entityBucket(event)}`, event);
    const byType = typeHead(event.type);
    const ref: EventRef = { id: event.id, createdAt: event.createdAt, entity: event.entity, entityId: event.entityId };
    note(typeAppends, byType, typeBucket(event), `${byType}:${typeBucket(event)}:${shardOf(event.entityId)}`, ref);
  }
  // Every record is read side by side: the fewer round trips before the commit, the fewer changes race it.
  const written = await Promise.all([
    ...[...entityAppends].map(async ([recordKey, added]) => {
      const read = await readRecord<Bucket>(store, recordKey);
      return [conditionalUpsert(read, { events: [...(read.value?.events ?? []), ...added] })];
    }),
    ...[...typeAppends].map(([shardKey, added]) => typeShardWrites(store, shardKey, added)),
    ...[...heads].map(async ([headKey, buckets]) => {
      const read: Read<BucketList> = await readRecord<BucketList>(store, headKey);
      const known = read.value?.buckets ?? [];
      const missing = [...buckets].filter((bucket) => !known.includes(bucket));
      return missing.length > 0 ? [conditionalUpsert(read, { buckets: [...known, ...missing].sort() })] : [];
    }),
  ]);
  return written.flat();
};

export interface EventPage {
  items: DomainEvent[];
  /** Pass as `after` for the next page; null on the last page. */
  cursor: string | null;
}

export interface EventQuery {
  from?: unknown;
  to?: unknown;
  limit?: unknown;
  after?: unknown;
}

const cursors = pageCursor('createdAt');
export const DEFAULT_EVENT_PAGE = 20;
export const MAX_EVENT_PAGE = 100;

const pageLimit = (limit: unknown): number => {
  if (limit === undefined || limit === null || limit === '') return DEFAULT_EVENT_PAGE;
  const value = Number(limit);
  if (!Number.isInteger(value) || value < 1 || value > MAX_EVENT_PAGE) {
    throw badInput('limit', `limit must be between 1 and ${MAX_EVENT_PAGE}`);
  }
  return value;
};

/** Whether a bucket (`yyyy-mm` or `yyyy-mm-ddThh`) can hold instants of the window at or after `after`. */
const bucketMayHold = (bucket: string, window: TimeWindow, after: string | undefined): boolean => {
  const lowest = [window.from, after]
    .filter((bound): bound is string => bound !== undefined)
    .sort()
    .pop();
  if (lowest !== undefined && bucket < lowest.slice(0, bucket.length)) return false;
  return window.before === undefined || bucket <= window.before.slice(0, bucket.length);
};

/** Reads buckets oldest first until the page is full: `entriesOf` reads what a bucket lists (events, or references). */
const readPage = async <E extends Ordered>(
  buckets: readonly string[],
  entriesOf: (bucket: string) => Promise<E[]>,
  query: EventQuery,
): Promise<{ items: E[]; cursor: string | null }> => {
  const window = timeWindow(query.from, query.to);
  const limit = pageLimit(query.limit);
  const after = typeof query.after === 'string' && query.after !== '' ? cursors.decode(query.after) : undefined;
  const found: E[] = [];
  for (const bucket of buckets.filter((each) => bucketMayHold(each, window, after?.createdAt))) {
    const entries = (await entriesOf(bucket)).filter((entry) => inWindow(window, entry.createdAt)).sort(byTime);
    found.push(...afterCursor(entries, after));
    if (found.length > limit) break;
  }
  const items = found.slice(0, limit);
  return { items, cursor: found.length > limit ? cursors.encode(items[items.length - 1]) : null };
};

/**
 * One entity's events, oldest first. ADMIN reads any entity's, anyone else only those of entities they own
 * (FORBIDDEN otherwise, also for an entity without events, so the answer does not tell whether it exists).
 */
export const listEntityEvents = async (
  store: StateStore,
  actor: Actor,
  entity: string,
  entityId: string,
  query: EventQuery,
): Promise<EventPage> => {
  if (!(EVENT_ENTITIES as readonly string[]).includes(entity)) {
    throw badInput('entity', `entity must be one of ${EVENT_ENTITIES.join(', ')}`);
  }
  const headKey = entityHead(entity as EventEntity, entityId);
  const head = await store.get<BucketList>(headKey);
  const buckets = head?.value.buckets ?? [];
  if (!isAdmin(actor)) {
    const newest =
      buckets.length > 0 ? await store.get<Bucket>(`${headKey}:${buckets[buckets.length - 1]}`) : undefined;
    const latest = newest?.value.events[newest.value.events.length - 1];
    if (!latest?.owners.includes(actor.username)) throw forbidden("only ADMIN and the entity's owners read its events");
  }
  return readPage(
    buckets,
    async (bucket) => (await store.get<Bucket>(`${headKey}:${bucket}`))?.value.events ?? [],
    query,
  );
};

/** The references of one hour of a type: each shard's pages in order, shard after shard. */
const typeBucketRefs = async (store: StateStore, bucketKey: string): Promise<EventRef[]> => {
  const shardKeys = Array.from({ length: EVENT_TYPE_SHARDS }, (_, shard) => `${bucketKey}:${shard}`);
  const firsts = await store.getBulk<RefPage>(shardKeys);
  const moreKeys = shardKeys.flatMap((shardKey) =>
    Array.from({ length: firsts.get(shardKey)?.value.pages ?? 0 }, (_, page) => `${shardKey}:${page + 1}`),
  );
  const more = moreKeys.length > 0 ? await store.getBulk<RefPage>(moreKeys) : new Map<string, never>();
  return shardKeys.flatMap((shardKey) => {
    const first = firsts.get(shardKey)?.value;
    const pages = Array.from({ length: first?.pages ?? 0 }, (_, page) => more.get(`${shardKey}:${page + 1}`)?.value);
    return [first, ...pages].flatMap((record) => record?.refs ?? []);
  });
};

/** Events of one type across entities, oldest first; ADMIN only (an owner reads their entities' by entity). */
export const listTypeEvents = async (
  store: StateStore,
  actor: Actor,
  type: string,
  query: EventQuery,
): Promise<EventPage> => {
  if (!isAdmin(actor)) throw forbidden('only ADMIN reads events by type');
  const headKey = typeHead(type);
  const head = await store.get<BucketList>(headKey);
  const page = await readPage(
    head?.value.buckets ?? [],
    (bucket) => typeBucketRefs(store, `${headKey}:${bucket}`),
    query,
  );
  const buckets = await store.getBulk<Bucket>([...new Set(page.items.map(entityBucketKey))]);
  const items = page.items.flatMap((ref) => {
    const event = buckets.get(entityBucketKey(ref))?.value.events.find((each) => each.id === ref.id);
    return event ? [event] : [];
  });
  return { items, cursor: page.cursor };
};

/** What a change is, before it is stamped with who, when and under which request. */
export interface Change<V = unknown> {
  type: string;
  entity: EventEntity;
  entityId: string;
  owners: readonly string[];
  value: V;
  publicValue?: unknown;
}

export interface EventStamps {
  newId: () => string;
  clock: { now(): Date };
  /** The request being served, if any (the service's request context). */
  requestId: () => string | undefined;
}

/** Stamps changes into events: a new id, the time, the request and who made it (`system` by default). */
export const eventStamper =
  (stamps: EventStamps) =>
  <V>(change: Change<V>, actor: string = SYSTEM_ACTOR, at: Date = stamps.clock.now()): DomainEvent<V> => ({
    id: stamps.newId(),
    type: change.type,
    entity: change.entity,
    entityId: change.entityId,
    requestId: stamps.requestId() ?? SYSTEM_ACTOR,
    actor,
    createdAt: at.toISOString(),
    owners: [...new Set(change.owners)],
    value: change.value,
    ...(change.publicValue === undefined ? {} : { publicValue: change.publicValue }),
  });

export type StampEvent = ReturnType<typeof eventStamper>;

/**
 * What a service needs to record its changes: stamp them, get the writes to commit with the change, and once the
 * transaction committed, publish the events for live subscribers. With a publisher the events are also put in the
 * outbox in the same transaction (`domain-events-outbox.ts`): the commit publishes them right away and takes them
 * out, and what a failed publish or a crash leaves there is published by the OutboxRelay. A subscriber never hears
 * of a change that did not happen, and hears of every committed one at least once.
 */
export interface EventLog {
  stamp: StampEvent;
  writes(events: readonly DomainEvent[]): Promise<TransactionOperation[]>;
  /** Commits the operations and the events' writes in one transaction, then publishes the events. */
  commit(operations: readonly TransactionOperation[], events: readonly DomainEvent[]): Promise<void>;
}

export interface EventLogDeps extends EventStamps {
  store: StateStore;
  /** Publishes one committed event; absent: nothing is published and nothing put in the outbox (the trail only). */
  publish?: (event: DomainEvent) => Promise<void>;
  /** The event was committed but not published now (it stays in the outbox for the relay). */
  onPublishFailure?: (event: DomainEvent, error: unknown) => void;
}

export const createEventLog = (deps: EventLogDeps): EventLog => {
  const { store, publish } = deps;
  const writes = async (events: readonly DomainEvent[]) => {
    const [trail, outbox] = await Promise.all([
      eventWrites(store, events),
      publish ? outboxWrites(store, events) : Promise.resolve([]),
    ]);
    return [...trail, ...outbox];
  };
  return {
    stamp: eventStamper(deps),
    writes,
    commit: async (operations, events) => {
      await store.transact([...operations, ...(await writes(events))]);
      if (!publish) return;
      const published: DomainEvent[] = [];
      for (const event of events) {
        try {
          await publish(event);
        } catch (error) {
          // The rest wait with it in the outbox, so that the relay publishes an entity's events in order.
          for (const unpublished of events.slice(events.indexOf(event))) deps.onPublishFailure?.(unpublished, error);
          break;
        }
        published.push(event);
      }
      // Left in the outbox if this fails: the relay publishes it again, and subscribers drop the repeat.
      if (published.length > 0) await removeFromOutbox(store, published).catch(() => undefined);
    },
  };
};
