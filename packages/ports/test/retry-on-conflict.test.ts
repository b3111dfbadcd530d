import { AppError, ConcurrencyConflictError, MAX_CONFLICT_ATTEMPTS, retryOnConflict } from '../src';

describe('retryOnConflict', () => {
  it('when the work conflicts a few times, then it is run again until it succeeds', async () => {
    let attempts = 0;

    const result = await retryOnConflict('the record', async () => {
      attempts += 1;
      if (attempts < 3) throw new ConcurrencyConflictError(['k']);
      return 'done';
    });

    expect(result).toBe('done');
    expect(attempts).toBe(3);
  });

  it('when the work keeps conflicting, then it gives up after the bound with a CONFLICT naming what changed', async () => {
    let attempts = 0;

    const error = await retryOnConflict('the record', async () => {
      attempts += 1;
      throw new ConcurrencyConflictError(['k']);
    }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'CONFLICT', message: 'the record kept changing concurrently; try again' });
    expect(attempts).toBe(MAX_CONFLICT_ATTEMPTS);
  });

  it('when the work fails otherwise, then the error passes through at once', async () => {
    let attempts = 0;
    const failure = new Error('boom');

    await expect(
      retryOnConflict('the record', async () => {
        attempts += 1;
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(attempts).toBe(1);
  });
});
