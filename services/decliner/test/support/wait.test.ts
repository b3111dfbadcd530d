import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { waitFor } from './wait';

const protocolError = (message: string, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(message), { retriable }));

/** What the broker answers for a partition whose leader is not serving yet (Kafka error code 6). */
const notLeader = () => protocolError('This server is not the leader for that topic-partition', true);

describe('the decliner tests’ waitFor', () => {
  it('when the condition throws a retriable Kafka error, then waiting goes on until the condition holds', async () => {
    // Arrange: not the leader, then out of KafkaJS's own retries on the same, then true.
    const answers = [
      () => Promise.reject(notLeader()),
      () => Promise.reject(new KafkaJSNumberOfRetriesExceeded(notLeader(), { retryCount: 5, retryTime: 100 })),
      () => Promise.resolve(true),
    ];
    let calls = 0;

    // Act
    await waitFor(() => answers[calls++](), 'a fresh partition');

    // Assert
    expect(calls).toBe(3);
  });

  it('when the condition throws any other error, then waiting ends at once with what was awaited', async () => {
    // Arrange
    let calls = 0;
    const condition = async () => {
      calls += 1;
      throw protocolError('Topic authorization failed', false);
    };

    // Act
    const waiting = waitFor(condition, 'the dead letters');

    // Assert
    await expect(waiting).rejects.toThrow('while waiting for the dead letters: Topic authorization failed');
    expect(calls).toBe(1);
  });
});
