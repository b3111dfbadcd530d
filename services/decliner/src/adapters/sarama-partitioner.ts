import type { ICustomPartitioner } from 'kafkajs';
import { saramaPartition } from '@sitter/contracts';

export { saramaPartition };

/** saramaPartition for kafkajs producers; a message without a key goes to a random partition, as in sarama. */
export const saramaCompatiblePartitioner: ICustomPartitioner =
  () =>
  ({ partitionMetadata, message }) => {
    const count = partitionMetadata.length;
    if (message.key === null || message.key === undefined) return Math.floor(Math.random() * count);
    return saramaPartition(message.key, count);
  };
