import { GraphQLError } from 'graphql';
import type { ErrorCode } from '@sitter/ports';

/** A GraphQL error whose `extensions.code` clients can rely on. */
export const graphQLError = (
  code: ErrorCode | 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE' | 'INTERNAL_SERVER_ERROR',
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLError => new GraphQLError(message, { extensions: { code, ...extra } });
