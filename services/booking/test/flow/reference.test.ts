import { startSystem } from '../support/system';

describe('bookingReference', () => {
  it('when a drawn reference is already taken, then confirming draws again and both references stay unique', async () => {
    const draws = ['K7X4Q2', 'K7X4Q2', 'M3P9WZ'];
    const system = await startSystem({ booking: { newReference: () => draws.shift() ?? 'ZZZZZZ' } });
    try {
      const first = await system.jobWithApplicants(1);
      const second = await system.jobWithApplicants(1);
      const a = await system.bookOk(first.owner, {
        jobId: first.jobId,
        applicationId: first.applicationIds[0],
        paymentToken: 'tok_visa',
      });
      await system.settle();

      const b = await system.bookOk(second.owner, {
        jobId: second.jobId,
        applicationId: second.applicationIds[0],
        paymentToken: 'tok_visa',
      });
      await system.settle();

      expect((await system.read(first.owner, a.id)).body.bookingReference).toBe('K7X4Q2');
      expect((await system.read(second.owner, b.id)).body).toMatchObject({
        status: 'CONFIRMED',
        bookingReference: 'M3P9WZ',
      });
      expect(await system.stateOf('booking', 'booking-reference:K7X4Q2')).toEqual({ bookingId: a.id });
      expect(await system.stateOf('booking', 'booking-reference:M3P9WZ')).toEqual({ bookingId: b.id });
      expect(draws).toEqual([]);
    } finally {
      await system.stop();
    }
  });
});
