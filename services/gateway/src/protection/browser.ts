import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { CORSOptions, Plugin } from 'graphql-yoga';
import { Headers } from '@sitter/contracts';
import { graphQLError } from '../graphql/errors';
import { suggestionMasking } from './suggestions';

/** A header browsers cannot send cross-site without a CORS preflight; GET queries and non-JSON bodies need it. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/**
 * yoga's CSRF prevention: a request whose content type a browser may send cross-site without a preflight
 * (form-urlencoded, multipart, text/plain, or none, as on GET) must carry CSRF_HEADER. The refusal gets
 * the code FORBIDDEN.
 */
export const csrfPrevention = (): Plugin => {
  const { onRequestParse } = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      try {
        return onRequestParse?.(payload);
      } catch {
        throw graphQLError(
          'FORBIDDEN',
          `send content-type application/json, or a ${CSRF_HEADER} header with a GET query or another content type`,
          { http: { status: 403 } },
        );
      }
    },
  };
};

/**
 * With introspection off, __schema and __type are refused (a validation error) and no error suggests
 * names (graphql-armor's blockFieldSuggestion, set up with the operation limits, and suggestionMasking).
 */
export const schemaDiscovery = (introspection: boolean): Plugin[] =>
  introspection ? [] : [useDisableIntrospection(), suggestionMasking()];

/**
 * CORS for the allowed origins only. Any other origin gets no CORS header at all, so pages from it cannot
 * read the answers; no credentials mode either (tokens travel in the authorization header, not cookies).
 */
export const corsFor = (origins: readonly string[]): false | ((request: Request) => CORSOptions) => {
  if (origins.length === 0) return false;
  const options: CORSOptions = {
    origin: [...origins],
    credentials: false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', 'x-api-key', Headers.requestId, CSRF_HEADER],
    exposedHeaders: [Headers.requestId],
    maxAge: 600,
  };
  return (request) => {
    const origin = request.headers.get('origin');
    return origin !== null && origins.includes(origin) ? options : false;
  };
};
