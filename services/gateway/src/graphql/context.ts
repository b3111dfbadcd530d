import type { Actor, Role } from '@sitter/ports';
import { graphQLError } from './errors';
import type { ServiceClient } from '../services/service-client';
import type { LiveContext } from '../live/live-context';

/** Per-request GraphQL context: who is calling and how to reach the services. */
export interface GatewayContext {
  requestId: string;
  /** Set when a valid bearer token came with the request. */
  actor?: Actor;
  /** Set when a valid x-api-key came with the request (public operations only). */
  apiKey?: string;
  services: ServiceClient;
  /** Set when the gateway serves subscriptions (it has an event feed). */
  live?: LiveContext;
}

export const requireActor = (context: GatewayContext): Actor => {
  if (!context.actor) throw graphQLError('UNAUTHENTICATED', 'this operation needs a bearer token');
  return context.actor;
};

export const requireRole = (context: GatewayContext, role: Role): Actor => {
  const actor = requireActor(context);
  if (!actor.roles.includes(role)) throw graphQLError('FORBIDDEN', `this operation needs the ${role} role`);
  return actor;
};

/** Public operations accept a bearer token or an API key. */
export const requireActorOrApiKey = (context: GatewayContext): void => {
  if (!context.actor && !context.apiKey) {
    throw graphQLError('UNAUTHENTICATED', 'this operation needs a bearer token or an x-api-key header');
  }
};
