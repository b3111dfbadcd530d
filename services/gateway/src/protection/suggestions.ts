import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Hides graphql-js's "Did you mean …?" hints in every answer. graphql-armor's blockFieldSuggestion masks
 * them in validation errors but misses the enum wording ("Did you mean the enum value "OPEN"?") and the
 * errors of variables, which graphql-js reports when the operation runs.
 */
export const suggestionMasking = (): Plugin => ({
  onExecutionResult({ result, setResult }) {
    if (!result || Symbol.asyncIterator in result || !result.errors) return;
    if (!result.errors.some((error) => error.message.includes('Did you mean'))) return;
    setResult({ ...result, errors: result.errors.map(withoutSuggestion) });
  },
});

const withoutSuggestion = (error: GraphQLError): GraphQLError =>
  new GraphQLError(error.message.replace(SUGGESTION, ' [Suggestion hidden]'), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
