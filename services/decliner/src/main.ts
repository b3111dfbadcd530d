import { AppIds } from '@sitter/contracts';
import { close, createLogger, listen, onShutdown } from '@sitter/platform';
import { HttpInvoker } from './adapters/http-invoker';
import { createKafkaDecliner } from './app';
import { loadDeclinerConfig, retryWaitBudgetMs } from './config';

const start = async (): Promise<void> => {
  const config = loadDeclinerConfig();
  const logger = createLogger(AppIds.decliner, config.logLevel);
  const decliner = createKafkaDecliner({
    config,
    invoker: new HttpInvoker(config.invokeBaseUrl, config.invokeTimeoutMs, config.invokeApiToken),
    logger,
    onFatal: () => process.kill(process.pid, 'SIGTERM'),
  });
  const { server, port } = await listen(decliner.http, config.port);
  onShutdown(
    async () => {
      await decliner.stop();
      await close(server);
    },
    (message) => logger.info(message),
  );
  logger.info('decliner listening', {
    port,
    brokers: config.brokers,
    topic: config.consumer.topic,
    deadLetterTopic: config.consumer.deadLetterTopic,
    groupId: config.consumer.groupId,
    retryWaitBudgetMs: retryWaitBudgetMs(config),
  });
  await decliner.start();
};

start().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
