import { AppIds } from '@sitter/contracts';
import { hostApp } from '@sitter/host';
import { DaprInvoker, SidecarConnection } from '@sitter/dapr-runtime';
import { createKafkaDecliner } from './app';
import { loadDeclinerConfig, retryWaitBudgetMs } from './config';

/**
 * The decliner on its own: it reads Kafka itself and calls the job service through its sidecar, so it needs no
 * runtime; it joins its consumer group once it listens, and leaves it before the server stops.
 */
const main = async (): Promise<void> => {
  const config = loadDeclinerConfig();
  await hostApp({
    appId: AppIds.decliner,
    port: config.port,
    logLevel: config.logLevel,
    build: (logger) => {
      const decliner = createKafkaDecliner({
        config,
        invoker: new DaprInvoker(new SidecarConnection(config.sidecar), { timeoutMs: config.invokeTimeoutMs }),
        logger,
        onFatal: () => process.kill(process.pid, 'SIGTERM'),
      });
      return {
        app: decliner.http,
        describe: {
          brokers: config.brokers,
          topic: config.consumer.topic,
          deadLetterTopic: config.consumer.deadLetterTopic,
          groupId: config.consumer.groupId,
          retryWaitBudgetMs: retryWaitBudgetMs(config),
        },
        start: () => decliner.start(),
        beforeClose: () => decliner.stop(),
      };
    },
  });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
