import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What a subscription received: each `next` payload's data, its GraphQL errors, and how it ended. */
export interface Received<T> {
  items: T[];
  errors: Array<{ message: string; extensions?: { code?: string; field?: string } }>;
  /** The WebSocket's close event when the connection closed under the subscription. */
  closed?: { code: number; reason: string };
  completed: boolean;
  stop(): void;
}

/** A real graphql-ws client (protocol graphql-transport-ws) with the token in connection_init's payload. */
export const webSocketClient = (
  httpUrl: string,
  token?: string,
): Client & { closeEvent(): Received<unknown>['closed'] } => {
  let closeEvent: Received<unknown>['closed'];
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token === undefined ? {} : { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closeEvent = { code, reason };
      },
    },
  });
  return Object.assign(client, { closeEvent: () => closeEvent });
};

export const subscribeOverWebSocket = <T>(
  client: ReturnType<typeof webSocketClient>,
  query: string,
  variables: Record<string, unknown> = {},
): Received<T> => {
  const received: Received<T> = { items: [], errors: [], completed: false, stop: () => undefined };
  received.stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) received.errors.push(...(result.errors as Received<T>['errors']));
        if (result.data) received.items.push(result.data as T);
      },
      error: (error) => {
        if (Array.isArray(error)) received.errors.push(...(error as Received<T>['errors']));
        else if (error && typeof (error as { code?: unknown }).code === 'number') {
          const { code, reason } = error as { code: number; reason: string };
          received.closed = { code, reason };
        } else received.errors.push({ message: String(error) });
      },
      complete: () => {
        received.completed = true;
      },
    },
  );
  return received;
};

/** A subscription over SSE: POST with accept: text/event-stream, read as the events arrive (yoga's own SSE). */
export const subscribeOverSse = <T>(
  httpUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Received<T> => {
  const abort = new AbortController();
  const received: Received<T> = { items: [], errors: [], completed: false, stop: () => abort.abort() };
  void (async () => {
    const response = await fetch(httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: abort.signal,
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      let boundary = text.indexOf('\n\n');
      while (boundary >= 0) {
        const block = text.slice(0, boundary);
        text = text.slice(boundary + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'next' && data) {
          const result = JSON.parse(data) as { data?: T; errors?: Received<T>['errors'] };
          if (result.errors) received.errors.push(...result.errors);
          if (result.data) received.items.push(result.data);
        }
        if (event === 'complete') received.completed = true;
        boundary = text.indexOf('\n\n');
      }
    }
    received.completed = true;
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) received.errors.push({ message: String(error) });
  });
  return received;
};

/** Resolves once `check` holds (polled), or fails naming `what` after `timeoutMs`. */
export const waitUntil = async (check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
