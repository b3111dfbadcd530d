export { createDeclinerApp, createKafkaDecliner, type DeclinerAppDeps, type KafkaDecliner } from './app';
export { loadDeclinerConfig, type DeclinerConfig } from './config';
export { DeadLetterHeaders, REPLAYED_FROM_HEADER, type DeadLetterReason } from './adapters/dead-letters';
export { replayDeadLetters, type ReplayCounts, type ReplayFilter } from './adapters/kafka-replay';
export { saramaCompatiblePartitioner, saramaPartition } from './adapters/sarama-partitioner';
