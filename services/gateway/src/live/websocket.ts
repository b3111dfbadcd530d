import type { Server } from 'node:http';
import type { ExecutionArgs, execute, subscribe } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Actor } from '@sitter/ports';
import type { Logger } from '@sitter/platform';
import type { Authenticator } from '../auth';
import type { GatewayYoga } from '../app';
import { InMemoryConnectionSlots } from '../adapters/in-memory-connection-slots';
import { LiveCloseCodes } from './close-codes';
import { ConnectionSlotsUnavailableError, type ConnectionSlots } from './connection-slots';
import { LiveAdmission, type HeldSlot, type LiveLimits } from './live-admission';
import { tokenExpiresAt, type LiveConnection } from './live-context';

/** The limits a WebSocket counts against (the same as an SSE subscription's). */
export type WebSocketLimits = LiveLimits;

interface ConnectionState {
  actor?: Actor;
  /** The connection's slot in the user's count, while held. */
  slot?: HeldSlot;
  authorization?: string;
  expiresAt?: number;
  expiry?: NodeJS.Timeout;
}

/** The Authorization of connection_init's payload (`{ "Authorization": "Bearer …" }`, any case). */
const authorizationOf = (payload: Record<string, unknown> | undefined): string | undefined => {
  const entry = Object.entries(payload ?? {}).find(([name]) => name.toLowerCase() === 'authorization');
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
};

/**
 * Serves subscriptions over WebSocket (graphql-ws, protocol graphql-transport-ws) at the gateway's /graphql, on the
 * HTTP server the gateway already listens on. The token travels in connection_init's payload and is verified before
 * the connection is acknowledged; the connection closes with 4401 when it is missing or invalid and when it expires,
 * with 4429 over the connection limits, and with 4503 when the user's connections cannot be counted (fail closed).
 * A connection holds a slot of its user's while open, refreshed every third of its TTL and released on close; the slot
 * of a connection whose gateway died lapses after the TTL. WebSockets and SSE subscriptions count against the same
 * limits when they share `admission` (see LiveAdmission). Operations run through yoga's envelop, so the operation limits and the
 * context (the caller, the services) are the same as over HTTP.
 */
export const serveWebSocketSubscriptions = (
  server: Server,
  deps: {
    yoga: GatewayYoga;
    authenticator: Authenticator;
    logger: Logger;
  } & (
    | {
        /** What the connections count against, shared with the SSE subscriptions (createGatewayApp's liveAdmission). */
        admission: LiveAdmission;
      }
    | {
        limits: WebSocketLimits;
        /** Where the users' connections are counted; this process's memory unless given. */
        slots?: ConnectionSlots;
      }
  ),
): {
  close(): Promise<void>;
  /** The open connections its admission counts: with the SSE subscriptions when it shares theirs. */
  connectionCount(): number;
} => {
  const wss = new WebSocketServer({ server, path: deps.yoga.graphqlEndpoint });
  const states = new WeakMap<WebSocket, ConnectionState>();
  const admission =
    'admission' in deps ? deps.admission : new LiveAdmission(deps.slots ?? new InMemoryConnectionSlots(), deps.limits);

  const release = (state: ConnectionState | undefined) => {
    clearTimeout(state?.expiry);
    state?.slot?.release();
  };

  wss.on('connection', (socket) => {
    const admitted = admission.enter();
    socket.once('close', () => {
      admission.leave();
      release(states.get(socket));
    });
    if (!admitted) socket.close(LiveCloseCodes.tooManyConnections, 'too many connections');
  });

  const close = (socket: WebSocket, code: number, reason: string) => {
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
  };

  useServer<Record<string, unknown>, { state: ConnectionState }>(
    {
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        const authorization = authorizationOf(ctx.connectionParams);
        let actor: Actor | undefined;
        try {
          actor = await deps.authenticator.authenticate(authorization);
        } catch (error) {
          close(socket, LiveCloseCodes.unauthorized, `Unauthorized: ${(error as Error).message}`);
          return;
        }
        if (!actor) {
          close(
            socket,
            LiveCloseCodes.unauthorized,
            'Unauthorized: connection_init needs { "Authorization": "Bearer <token>" }',
          );
          return;
        }
        const state: ConnectionState = { actor, authorization, expiresAt: tokenExpiresAt(authorization) };
        try {
          // A slot that lapsed (Redis unreachable for longer than its TTL) while the user reached the limit: closed.
          state.slot = await admission.hold(actor.username, () =>
            close(socket, LiveCloseCodes.tooManyConnections, 'too many connections for this user'),
          );
          if (!state.slot) {
            close(socket, LiveCloseCodes.tooManyConnections, 'too many connections for this user');
            return;
          }
        } catch (error) {
          if (!(error instanceof ConnectionSlotsUnavailableError)) throw error;
          deps.logger.warn('connection limits unreachable: WebSocket refused', { reason: error.message });
          close(socket, LiveCloseCodes.limitsUnavailable, 'the connection limits cannot be checked; try again shortly');
          return;
        }
        states.set(socket, state);
        if (socket.readyState !== socket.OPEN) {
          // Closed while its slot was being taken: the close handler found no slot to give back.
          release(state);
          return;
        }
        if (state.expiresAt !== undefined) {
          state.expiry = setTimeout(
            () => close(socket, LiveCloseCodes.unauthorized, 'token expired'),
            Math.min(Math.max(0, state.expiresAt - Date.now()), 2 ** 31 - 1),
          );
        }
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const socket = ctx.extra.socket;
        const state = states.get(socket) ?? {};
        const connection: LiveConnection = {
          expiresAt: state.expiresAt,
          close: (code, reason) => close(socket, code, reason),
        };
        const headers = new Headers(state.authorization ? { authorization: state.authorization } : {});
        const request = new Request(`http://gateway${deps.yoga.graphqlEndpoint}`, { method: 'POST', headers });
        const enveloped = deps.yoga.getEnveloped({ request, req: ctx.extra.request, liveConnection: connection });
        let document;
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          return [error as never];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        const args: ExecutionArgs = {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
        return args;
      },
      execute: (args) => (args.rootValue as { execute: typeof execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof subscribe }).subscribe(args),
    },
    wss,
  );

  return {
    connectionCount: () => admission.connectionCount,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        wss.close(() => resolve());
      }),
  };
};
