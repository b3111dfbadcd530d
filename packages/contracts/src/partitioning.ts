/**
 * The partition Dapr's Kafka pub/sub (sarama's hash partitioner) picks for a key: FNV-1a 32-bit of
 * the key's bytes, read as a signed 32-bit number, modulo the partition count, made positive.
 * Producers that write beside the platform (replay, partners) must pick the same one, or two
 * messages of one job could land in two partitions and lose their order.
 */
export const saramaPartition = (key: Uint8Array | string, partitionCount: number): number => {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return Math.abs((hash | 0) % partitionCount);
};
