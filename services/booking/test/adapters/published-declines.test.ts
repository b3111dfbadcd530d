import { randomUUID } from 'node:crypto';
import type { DeclineRequest } from '@sitter/contracts';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { createLogger } from '@sitter/platform';
import { PublishedDeclines } from '../../src/adapters/published-declines';
import { capturingLogger } from '../support/logs';

const logger = createLogger('booking-test', 'silent');

const decline = (jobId: string, applicationId: string): DeclineRequest => ({
  version: 1,
  applicationId,
  jobId,
  reason: 'another nanny was booked',
  source: 'booking',
  requestedAt: '2030-01-01T00:00:00.000Z',
});

describe('PublishedDeclines', () => {
  it('when a decline is requested, then its bare payload reaches job-applications.declines subscribers', async () => {
    const runtime = new EmbeddedRuntime({ logger });
    const delivered: unknown[] = [];
    runtime.broker.subscriberFor('job').subscribe('job-applications.declines', async (message) => {
      delivered.push(message.data);
    });
    const declines = new PublishedDeclines(runtime.broker.publisherFor('booking'), logger);
    const jobId = randomUUID();
    const requests = [decline(jobId, 'a1'), decline(jobId, 'a2'), decline(jobId, 'a3')];

    for (const request of requests) await declines.request(request);
    await runtime.broker.drain();

    expect(delivered).toEqual(requests);
  });

  it('when the broker refuses the message, then the request still resolves (the booking stands) and logs an error', async () => {
    const runtime = new EmbeddedRuntime({ logger });
    await runtime.stop();
    const { logger: capturing, entries } = capturingLogger();
    const declines = new PublishedDeclines(runtime.broker.publisherFor('booking'), capturing);
    const jobId = randomUUID();

    await expect(declines.request(decline(jobId, 'a1'))).resolves.toBeUndefined();

    expect(entries).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'could not publish a decline request',
        jobId,
        applicationId: 'a1',
      }),
    ]);
  });
});
