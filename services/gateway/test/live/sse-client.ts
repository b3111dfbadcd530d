/** One subscription over yoga's SSE (POST with accept: text/event-stream), read as its events arrive. */
export interface SseSubscription {
  /** Each `next` event's data. */
  items: unknown[];
  /** The extensions.code of each GraphQL error received. */
  codes: Array<string | undefined>;
  /** Resolves once the stream has ended (by the server, or by `stop`). */
  ended: Promise<void>;
  /** Closes the stream from the client's side. */
  stop(): void;
}

export const subscribeOverSse = (
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): SseSubscription => {
  const abort = new AbortController();
  const items: unknown[] = [];
  const codes: SseSubscription['codes'] = [];
  const read = async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: abort.signal,
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += chunk.value;
      for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const data = /^event: next\ndata: (.*)$/m.exec(block)?.[1];
        if (data === undefined) continue;
        const result = JSON.parse(data) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
        if (result.data) items.push(result.data);
        for (const error of result.errors ?? []) codes.push(error.extensions?.code);
      }
    }
  };
  const ended = read().catch((error: unknown) => {
    if (!abort.signal.aborted) throw error;
  });
  return { items, codes, ended, stop: () => abort.abort() };
};

/** Resolves once `check` holds (polled every 20 ms), or fails naming `what` after `timeoutMs`. */
export const waitUntil = async (check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
