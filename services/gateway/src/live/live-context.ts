import type { LiveEventFeed } from './event-feed';
import type { LiveAdmission } from './live-admission';

/** The transport a subscription runs on, as far as a subscription needs to know it. */
export interface LiveConnection {
  /** When the caller's token expires (ms since the epoch). */
  expiresAt?: number;
  /** Closes the WebSocket with a code; absent on SSE, where the subscription ends with an error instead. */
  close?: (code: number, reason: string) => void;
}

/** What subscriptions need from the GraphQL context. */
export interface LiveContext {
  feed: LiveEventFeed;
  connection: LiveConnection;
  /** Events a subscription may hold for a client that has not read them yet. */
  bufferSize: number;
  /**
   * Over SSE, what each subscription counts against itself (its stream is its connection); absent over WebSocket,
   * where the connection was counted when it opened.
   */
  admission?: LiveAdmission;
}

/** The expiry of a bearer token the authenticator has verified (its `exp`), in ms since the epoch. */
export const tokenExpiresAt = (authorization: string | undefined): number | undefined => {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
};
