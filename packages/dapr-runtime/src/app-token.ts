import { timingSafeEqual } from 'node:crypto';
import type { RequestListener } from 'node:http';

/** The header in which daprd sends the app token (its APP_API_TOKEN) to its app. */
export const APP_TOKEN_HEADER = 'dapr-api-token';

/** The kubelet's probes reach the app without the sidecar, so without the token. */
const UNGUARDED_PATHS = new Set(['/healthz', '/readyz']);

const sameToken = (given: string | string[] | undefined, expected: Buffer): boolean => {
  if (typeof given !== 'string') return false;
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
};

/**
 * The app behind its sidecar, answering 401 to any request (but the probes) whose `dapr-api-token` is not `token`:
 * only its own daprd, which holds the token, reaches it. Without a token, the app as it is.
 */
export const requireAppToken = (app: RequestListener, token: string | undefined): RequestListener => {
  if (!token) return app;
  const expected = Buffer.from(token);
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (UNGUARDED_PATHS.has(path) || sameToken(request.headers[APP_TOKEN_HEADER], expected)) {
      app(request, response);
      return;
    }
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: `missing or wrong ${APP_TOKEN_HEADER}` } }),
    );
  };
};
