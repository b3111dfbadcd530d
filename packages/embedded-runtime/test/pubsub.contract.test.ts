import { pubSubContract } from '@sitter/ports/contract/pubsub.contract';
import { createLogger } from '@sitter/platform';
import { EmbeddedRuntime, type RetryPolicy } from '../src';
import { tempDir } from './temp-dir';

const retry: RetryPolicy = { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 20 };
const logger = createLogger('pubsub-contract', 'silent');

pubSubContract('embedded, in memory', async () => {
  const runtime = new EmbeddedRuntime({ logger, retry });
  return {
    maxAttempts: retry.maxAttempts,
    publisher: (appId) => runtime.broker.publisherFor(appId),
    subscriber: (appId) => runtime.broker.subscriberFor(appId),
    start: () => runtime.start(),
    teardown: () => runtime.stop(),
  };
});

pubSubContract('embedded, journaled to a data dir', async () => {
  const directory = await tempDir();
  const runtime = new EmbeddedRuntime({ logger, retry, dataDir: directory.path });
  return {
    maxAttempts: retry.maxAttempts,
    publisher: (appId) => runtime.broker.publisherFor(appId),
    subscriber: (appId) => runtime.broker.subscriberFor(appId),
    start: () => runtime.start(),
    teardown: async () => {
      await runtime.stop();
      await directory.remove();
    },
  };
});
