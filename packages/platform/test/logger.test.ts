import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger, runWithRequestId } from '../src';

/** Collects what the logger writes, as parsed JSON lines. */
const captureLines = (logger: winston.Logger) => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  logger.clear();
  logger.add(new winston.transports.Stream({ stream: sink }));
  return lines;
};

describe('logger', () => {
  it('when logging inside a request, then every line carries the service and the request id', () => {
    const logger = createLogger('job');
    const lines = captureLines(logger);

    runWithRequestId('req-42', () => logger.info('job created', { jobId: 'j1' }));

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'job', requestId: 'req-42', message: 'job created', jobId: 'j1' });
    expect(typeof lines[0].timestamp).toBe('string');
  });

  it('when a logged object holds secrets, then they are redacted at any depth', () => {
    const logger = createLogger('booking');
    const lines = captureLines(logger);

    logger.info('booking', {
      authorization: 'Bearer abc.def.ghi',
      payment: { paymentToken: 'tok_visa', amount: '10.00' },
      headers: [{ 'x-api-key': 'sitter-dev-key' }],
    });

    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('abc.def.ghi');
    expect(text).not.toContain('tok_visa');
    expect(text).not.toContain('sitter-dev-key');
    expect(lines[0]).toMatchObject({ payment: { paymentToken: '[redacted]', amount: '10.00' } });
  });
});
