import { Components } from '@sitter/contracts';
import {
  ConcurrencyConflictError,
  type StateEntry,
  type StateStore,
  type TransactionOperation,
  type WriteCondition,
} from '@sitter/ports';
import type { SidecarConnection } from './sidecar-connection';
import { SidecarError, failureFromResponse, type SidecarFailure } from './sidecar-errors';

/**
 * How daprd reports a write condition that did not hold. A save or delete with an ETag answers 409 (an ETag
 * mismatch). Otherwise daprd answers 500 with the store's own message: a transaction ERR_STATE_TRANSACTION with
 * "possible etag mismatch" (state.sqlite, state.postgresql), "failed to set key" / "failed to delete" (the scripts of
 * state.redis); a first-write without ETag on an existing key "failed to set key" (state.redis), "no item was
 * updated" (state.postgresql v2), or 409 (state.sqlite).
 */
const CONDITION_FAILED = /etag mismatch|failed to set key|failed to delete|no item was updated/i;

const conditionFailed = (failure: SidecarFailure): boolean =>
  failure.status === 409 || CONDITION_FAILED.test(failure.message);

/**
 * Every conditional write uses Dapr's first-write concurrency: with an ETag it must still match, and without one
 * (onlyIfAbsent) the key must not exist. Unconditional writes are last-write.
 */
const hasCondition = (condition: WriteCondition): boolean =>
  condition.etag !== undefined || condition.onlyIfAbsent === true;

/** daprd's concurrency option for a write under `condition`. */
const concurrencyOf = (condition: WriteCondition): 'first-write' | 'last-write' =>
  hasCondition(condition) ? 'first-write' : 'last-write';

/** The wire form of daprd's transaction API (the ETag as a plain string). */
const transactionRequest = (operation: TransactionOperation) => ({
  operation: operation.operation,
  request: {
    key: operation.key,
    ...(operation.operation === 'upsert' ? { value: operation.value } : {}),
    ...(operation.etag !== undefined ? { etag: operation.etag } : {}),
    options: { concurrency: concurrencyOf(operation) },
  },
});

/** How many keys daprd reads at once for a bulk get (what @dapr/dapr asked for). */
const BULK_PARALLELISM = 10;

interface BulkItem {
  key: string;
  data?: unknown;
  etag?: string;
}

/**
 * The StateStore port on a Dapr state store component, through the app's sidecar.
 *
 * Which guarantees hold depends on the component behind the sidecar: transactions are all-or-nothing, and
 * onlyIfAbsent refuses every existing key, only on stores that implement Dapr's first-write concurrency and
 * transactions fully. state.sqlite and state.postgresql v2 pass the whole contract (state-store.contract.test.ts). state.redis
 * applies the other operations of a transaction whose condition failed, and lets a first-write without ETag
 * overwrite a key that was not itself written with first-write concurrency: on it, use LockedStateStore.
 */
export class DaprStateStore implements StateStore {
  constructor(
    private readonly sidecar: SidecarConnection,
    private readonly storeName: string = Components.stateStore,
  ) {}

  async get<T>(key: string): Promise<StateEntry<T> | undefined> {
    const response = await this.sidecar.request(`/v1.0/state/${this.storeName}/${encodeURIComponent(key)}`);
    if (response.status === 204 || response.status === 404) {
      await response.arrayBuffer();
      return undefined;
    }
    if (!response.ok) throw new SidecarError(`get state ${key}`, await failureFromResponse(response));
    const etag = response.headers.get('etag');
    const text = await response.text();
    if (etag === null) throw new SidecarError(`get state ${key}`, { status: response.status, message: 'no ETag' });
    return { key, value: JSON.parse(text) as T, etag };
  }

  async getBulk<T>(keys: readonly string[]): Promise<Map<string, StateEntry<T>>> {
    const found = new Map<string, StateEntry<T>>();
    if (keys.length === 0) return found;
    // daprd answers `{ key, data, etag }` per key, and only `{ key }` (or `{ key, error }`) for a missing one.
    const items =
      (await this.sidecar.postJson<BulkItem[]>('get bulk state', `/v1.0/state/${this.storeName}/bulk`, {
        keys: [...new Set(keys)],
        parallelism: BULK_PARALLELISM,
      })) ?? [];
    for (const item of items) {
      if (item.etag === undefined || item.data === undefined) continue;
      found.set(item.key, { key: item.key, value: item.data as T, etag: item.etag });
    }
    return found;
  }

  async save<T>(key: string, value: T, condition: WriteCondition = {}): Promise<void> {
    const response = await this.sidecar.request(`/v1.0/state/${this.storeName}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          key,
          value,
          ...(condition.etag !== undefined ? { etag: condition.etag } : {}),
          options: { concurrency: concurrencyOf(condition) },
        },
      ]),
    });
    if (response.ok) {
      await response.arrayBuffer();
      return;
    }
    this.fail(`save state ${key}`, await failureFromResponse(response), hasCondition(condition) ? [key] : []);
  }

  async delete(key: string, condition: { etag?: string } = {}): Promise<void> {
    // The key escaped: one with '/', '?' or '#' is still one key.
    const concurrency = condition.etag !== undefined ? 'first-write' : 'last-write';
    const response = await this.sidecar.request(
      `/v1.0/state/${this.storeName}/${encodeURIComponent(key)}?concurrency=${concurrency}`,
      { method: 'DELETE', headers: condition.etag !== undefined ? { 'if-match': condition.etag } : {} },
    );
    if (response.ok) {
      await response.arrayBuffer();
      return;
    }
    const conditionalKeys = condition.etag !== undefined ? [key] : [];
    this.fail(`delete state ${key}`, await failureFromResponse(response), conditionalKeys);
  }

  async transact(operations: readonly TransactionOperation[]): Promise<void> {
    if (operations.length === 0) return;
    const response = await this.sidecar.request(`/v1.0/state/${this.storeName}/transaction`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operations: operations.map(transactionRequest) }),
    });
    if (response.ok) {
      await response.arrayBuffer();
      return;
    }
    const conditionalKeys = operations.filter(hasCondition).map((operation) => operation.key);
    this.fail('state transaction', await failureFromResponse(response), conditionalKeys);
  }

  /** A failed write whose condition (on one of `conditionalKeys`) did not hold is a conflict; anything else is not. */
  private fail(operation: string, failure: SidecarFailure, conditionalKeys: readonly string[]): never {
    if (conditionalKeys.length > 0 && conditionFailed(failure)) throw new ConcurrencyConflictError(conditionalKeys);
    throw new SidecarError(operation, failure);
  }
}
