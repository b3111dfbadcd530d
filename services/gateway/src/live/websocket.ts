import { randomUUID } from 'node:crypto';
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
import { tokenExpiresAt, type LiveConnection } from './live-context';

export interface WebSocketLimits {
  /** Open subscription connections this replica accepts. */
  maxConnections: number;
  /** Open connections one user may hold, counted in `slots` (across replicas when they are in Redis). */
  maxConnectionsPerUser: number;
}

interface ConnectionState {
  actor?: Actor;
  /** The connection's slot in the user's count, while held. */
  slotId?: string;
  refresh?: NodeJS.Timeout;
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
 * A connection holds a slot in `slots` while open, refreshed every third of its TTL and released on close; the slot
 * of a connection whose gateway died lapses after the TTL. Operations run through yoga's envelop, so the operation limits and the
 * context (the caller, the services) are the same as over HTTP.
 */
export const serveWebSocketSubscriptions = (
  server: Server,
  deps: {
    yoga: GatewayYoga;
    authenticator: Authenticator;
    logger: Logger;
    limits: WebSocketLimits;
    /** Where the users' connections are counted; this process's memory unless given. */
    slots?: ConnectionSlots;
  },
): { close(): Promise<void>; connectionCount(): number } => {
  const wss = new WebSocketServer({ server, path: deps.yoga.graphqlEndpoint });
  const states = new WeakMap<WebSocket, ConnectionState>();
  const slots = deps.slots ?? new InMemoryConnectionSlots();
  let open = 0;

  const release = (state: ConnectionState | undefined) => {
    clearTimeout(state?.expiry);
    clearInterval(state?.refresh);
    const username = state?.actor?.username;
    if (username === undefined || state?.slotId === undefined) return;
    const slotId = state.slotId;
    state.slotId = undefined;
    // Unreleased (Redis unreachable), the slot lapses after its TTL.
    slots.release(username, slotId).catch(() => undefined);
  };

  wss.on('connection', (socket) => {
    open += 1;
    socket.once('close', () => {
      open -= 1;
      release(states.get(socket));
    });
    if (open > deps.limits.maxConnections) socket.close(LiveCloseCodes.tooManyConnections, 'too many connections');
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
        const slotId = randomUUID();
        try {
          if (!(await slots.acquire(actor.username, slotId, deps.limits.maxConnectionsPerUser))) {
            close(socket, LiveCloseCodes.tooManyConnections, 'too many connections for this user');
            return;
          }
        } catch (error) {
          if (!(error instanceof ConnectionSlotsUnavailableError)) throw error;
          deps.logger.warn('connection limits unreachable: WebSocket refused', { reason: error.message });
          close(socket, LiveCloseCodes.limitsUnavailable, 'the connection limits cannot be checked; try again shortly');
          return;
        }
        state.slotId = slotId;
        states.set(socket, state);
        if (socket.readyState !== socket.OPEN) {
          // Closed while its slot was being taken: the close handler found no slot to give back.
          release(state);
          return;
        }
        const username = actor.username;
        state.refresh = setInterval(() => {
          // A slot that lapsed (Redis unreachable for longer than its TTL) is taken again if the user is still
          // under the limit; otherwise the connection closes. Redis unreachable: tried again next time.
          slots
            .refresh(username, slotId)
            .then(async (held) => held || slots.acquire(username, slotId, deps.limits.maxConnectionsPerUser))
            .then(
              (held) => {
                if (!held) close(socket, LiveCloseCodes.tooManyConnections, 'too many connections for this user');
              },
              () => undefined,
            );
        }, slots.ttlMs / 3);
        state.refresh.unref();
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
    connectionCount: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        wss.close(() => resolve());
      }),
  };
};
