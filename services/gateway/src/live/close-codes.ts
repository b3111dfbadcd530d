/**
 * How the gateway closes a subscription's WebSocket (graphql-transport-ws leaves 4000-4999 to servers). 4401 and 4403
 * are the protocol's own Unauthorized and Forbidden; the others are the gateway's.
 */
export const LiveCloseCodes = {
  /** No token, a token that fails verification, or one that expired while connected. */
  unauthorized: 4401,
  /** The user was deactivated while subscribed. */
  forbidden: 4403,
  /** The client read slower than events arrived and its buffer filled. */
  bufferOverflow: 4413,
  /** Over the replica's connection limit, or the user's. */
  tooManyConnections: 4429,
  /** The user's connections could not be counted (the connection-limit Redis did not answer): try again shortly. */
  limitsUnavailable: 4503,
} as const;
