import { MINUTE } from '../support/clock';
import { capturingLogger } from '../support/logs';
import { startSystem, support, type System } from '../support/system';

const TOKENS = ['tok_visa', 'tok_chargeDeclined', 'tok_timeout', 'tok_mastercard'];

describe('the payment token', () => {
  const { logger, entries } = capturingLogger();
  const responses: string[] = [];
  let system: System;

  beforeAll(async () => {
    system = await startSystem({ logger });
  });

  afterAll(async () => {
    await system.stop();
  });

  const keep = <T extends { text: string }>(response: T): T => {
    responses.push(response.text);
    return response;
  };

  it('when bookings go through every path, then no response and no log line carries a token', async () => {
    const ids: string[] = [];
    for (const paymentToken of TOKENS) {
      const { owner, jobId, applicationIds } = await system.jobWithApplicants(2);
      const booked = keep(await system.book(owner, { jobId, applicationId: applicationIds[0], paymentToken }));
      ids.push(booked.body.id);
      await system.settle();
      keep(await system.read(owner, booked.body.id));
      keep(await system.list(owner, { customer: owner.username, status: 'CONFIRMED' }));
    }
    keep(await system.cancel(support, ids[3], { reason: 'refund it' }));
    system.clock.advance(16 * MINUTE);
    await system.sweep();
    for (const id of ids) keep(await system.read(support, id));
    keep(
      await system.book(await system.person('PARENT'), { jobId: 'j', applicationId: 'a', paymentToken: 'tok_v!sa' }),
    );

    const statuses = await Promise.all(ids.map(async (id) => (await system.read(support, id)).body.status));
    expect(statuses).toEqual(['CONFIRMED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(entries.length).toBeGreaterThan(20);
    const logText = entries.map((entry) => JSON.stringify(entry)).join('\n');
    for (const token of [...TOKENS, 'tok_v!sa']) {
      expect(logText).not.toContain(token);
      for (const text of responses) expect(text).not.toContain(token);
    }
    expect(responses.join('\n')).toContain('tok_…isa');
  });
});
