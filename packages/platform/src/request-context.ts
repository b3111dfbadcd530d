import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Carries the request id through async work, so every log line of one request can be found. */
interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;

export const runWithRequestId = <T>(requestId: string | undefined, work: () => T): T =>
  storage.run({ requestId: acceptedRequestId(requestId) }, work);

export const newRequestId = (): string => randomUUID();

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The caller's request id when it is a plain token, else a new one: it is written to logs and headers, and a
 * booking uses it to recognise a repeated request, so an id from outside must be short and printable.
 */
export const acceptedRequestId = (requestId: string | null | undefined): string =>
  requestId && SANE_REQUEST_ID.test(requestId) ? requestId : newRequestId();
