import { saramaPartition } from '../../src';

describe('saramaPartition', () => {
  // Reference values from Go: hash/fnv New32a, then sarama's hash partitioner rule
  // (int32 of the sum, modulo the partition count, negated when negative), for 6 partitions.
  it.each([
    ['job-1', 2],
    ['a4c1b2f0-2b1e-4a8e-9bd8-0c7f0e9e2a11', 1],
    ['zzz', 3],
    ['9e0f', 5],
    ['x', 1],
    ['applicationsXYZ', 3],
    ['job-42', 3],
    ['jöb-ü', 4],
  ])('when the key is %s, then it is the partition Dapr (sarama) picks: %i', (key, partition) => {
    expect(saramaPartition(key, 6)).toBe(partition);
  });

  it('when a key is given as bytes, then it lands where the same text does', () => {
    expect(saramaPartition(Buffer.from('jöb-ü', 'utf8'), 6)).toBe(saramaPartition('jöb-ü', 6));
  });
});
