import { invokerContract } from '@sitter/ports/contract/invoker.contract';
import { unique } from '@sitter/ports/contract/wait-for';
import { createLogger } from '@sitter/platform';
import { EmbeddedRuntime } from '../src';

invokerContract('embedded', async () => {
  const runtime = new EmbeddedRuntime({ logger: createLogger('invoker-contract', 'silent') });
  return {
    invoker: runtime.invoker,
    serve: async (target) => {
      const appId = unique('target');
      runtime.register(appId, target);
      return appId;
    },
    teardown: () => runtime.stop(),
  };
});
