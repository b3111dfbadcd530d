import { DependencyUnavailableError } from '@sitter/ports';

/** What the sidecar answered when a call failed: its HTTP status and Dapr's error body. */
export interface SidecarFailure {
  status?: number;
  /** Dapr's `errorCode`, e.g. ERR_STATE_SAVE, ERR_DIRECT_INVOKE. */
  errorCode?: string;
  message: string;
}

/**
 * A sidecar call failed for a reason the port has no error for: the sidecar does not answer, or the component behind
 * it (Redis, Kafka) failed, or a key stayed locked. For the caller that is an unavailable dependency (503 with a
 * retry hint), not a bug: the adapters' requests are well-formed (the contract suites run them), so what fails them
 * is the infrastructure, and the same request succeeds once it is back.
 */
export class SidecarError extends DependencyUnavailableError {
  constructor(
    readonly operation: string,
    readonly failure: SidecarFailure,
  ) {
    const code = [failure.status, failure.errorCode].filter((part) => part !== undefined).join(' ');
    super('dapr', `dapr ${operation} failed${code ? ` (${code})` : ''}: ${failure.message}`);
    this.name = 'SidecarError';
  }
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Reads Dapr's error body: `{ "errorCode": "...", "message": "..." }`. */
export const failureFromBody = (status: number | undefined, text: string): SidecarFailure => {
  const body = parseJson(text);
  if (isRecord(body) && typeof body.errorCode === 'string') {
    return { status, errorCode: body.errorCode, message: String(body.message ?? '') };
  }
  return { status, message: text };
};

export const failureFromResponse = async (response: Response): Promise<SidecarFailure> =>
  failureFromBody(response.status, await response.text());
