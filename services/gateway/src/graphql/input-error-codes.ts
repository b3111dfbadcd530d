import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js reports variables of the wrong type ("Variable "$job" got invalid value ...")
 * without an error code; this gives them BAD_USER_INPUT so clients can rely on the code.
 */
export const inputErrorCodes = (): Plugin => ({
  onExecutionResult({ result, setResult }) {
    if (!result || Symbol.asyncIterator in result || !result.errors) return;
    setResult({ ...result, errors: result.errors.map(withInputCode) });
  },
});

const withInputCode = (error: GraphQLError): GraphQLError => {
  if (error.extensions?.code || !/^Variable "\$/.test(error.message)) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
};
