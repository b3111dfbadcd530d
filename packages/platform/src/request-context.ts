import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Carries the request id through async work, so every log line of one request can be found. */
interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;

export const runWithRequestId = <T>(requestId: string | undefined, work: () => T): T =>
  storage.run({ requestId: requestId || newRequestId() }, work);

export const newRequestId = (): string => randomUUID();
