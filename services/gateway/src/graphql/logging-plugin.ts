import { Kind, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '@sitter/platform';
import type { GatewayContext } from './context';

/** One log line per GraphQL operation: name, caller, duration and error codes (never variables). */
export const operationLogging = (logger: Logger): Plugin<GatewayContext> => ({
  onExecute({ args }) {
    if (!logger.isInfoEnabled()) return;
    const started = performance.now();
    const context = args.contextValue;
    return {
      onExecuteDone({ result }) {
        const errors = 'errors' in result ? (result.errors ?? []) : [];
        logger.info('graphql operation', {
          requestId: context.requestId,
          operation: args.operationName ?? describeOperation(args.document),
          caller: context.actor?.username ?? (context.apiKey ? 'api-key' : 'anonymous'),
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          errorCodes: errors.map((error) => error.extensions?.code ?? 'UNKNOWN'),
        });
      },
    };
  },
});

/** For unnamed operations: the operation type and its root fields, e.g. "mutation createJob". */
const describeOperation = (document: DocumentNode): string => {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 'unknown';
  const fields = operation.selectionSet.selections.flatMap((selection) =>
    selection.kind === Kind.FIELD ? [selection.name.value] : [],
  );
  return `${operation.operation} ${fields.join(',')}`;
};
