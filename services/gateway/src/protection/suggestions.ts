import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * graphql-armor's blockFieldSuggestion masks `Did you mean "…"?` in validation errors. Left to hide are
 * the enum wording its pattern misses (`Did you mean the enum value "OPEN"?`) and the errors of
 * variables, which graphql-js reports only when the operation runs.
 */
const missedByArmor = (message: string): boolean =>
  message.startsWith('Variable "$') || message.includes('Did you mean the enum value');

/** Hides the name suggestions graphql-armor's blockFieldSuggestion leaves in an answer. */
export const suggestionMasking = (): Plugin => ({
  onExecutionResult({ result, setResult }) {
    if (!result || Symbol.asyncIterator in result || !result.errors) return;
    if (!result.errors.some((error) => missedByArmor(error.message) && error.message.includes('Did you mean'))) return;
    setResult({ ...result, errors: result.errors.map(withoutSuggestion) });
  },
});

const withoutSuggestion = (error: GraphQLError): GraphQLError => {
  if (!missedByArmor(error.message)) return error;
  return new GraphQLError(error.message.replace(SUGGESTION, ' [Suggestion hidden]'), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
};
