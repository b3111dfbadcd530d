import { randomUUID } from 'node:crypto';
import { Headers } from '@sitter/contracts';
import { startSystem, type System } from '../support/system';

let system: System;

beforeAll(async () => {
  system = await startSystem();
});

afterAll(async () => {
  await system.stop();
});

const bookingsOf = async (system: System, owner: Parameters<System['list']>[0]) => {
  const ids: string[] = [];
  for (const status of ['UNCONFIRMED', 'CONFIRMED', 'CANCELLED']) {
    const page = await system.list(owner, { customer: owner.username, status });
    ids.push(...(page.body.items as Array<{ id: string }>).map((item) => item.id));
  }
  return ids;
};

describe('POST /bookings delivered more than once (a client or a sidecar retrying after a lost answer)', () => {
  it('when the same request id books the same application twice, then one booking is made and both answers name it', async () => {
    // Arrange
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(2);
    const body = { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' };
    const requestId = { [Headers.requestId]: randomUUID() };

    // Act
    const first = await system.book(owner, body, requestId);
    const repeat = await system.book(owner, body, requestId);
    await system.settle();

    // Assert
    expect(first.status).toBe(201);
    expect(repeat.status).toBe(201);
    expect(repeat.body.id).toBe(first.body.id);
    expect(await bookingsOf(system, owner)).toEqual([first.body.id]);
    expect((await system.record(first.body.id))?.status).toBe('CONFIRMED');
  });

  it('when two deliveries of one request race, then one booking is made', async () => {
    // Arrange
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
    const body = { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' };
    const requestId = { [Headers.requestId]: randomUUID() };

    // Act
    const answers = await Promise.all([1, 2, 3].map(() => system.book(owner, body, requestId)));
    await system.settle();

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(await bookingsOf(system, owner)).toEqual([answers[0].body.id]);
  });

  it('when a request id already used for one application books another, then 409 CONFLICT and nothing is written', async () => {
    // Arrange
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(2);
    const requestId = { [Headers.requestId]: randomUUID() };
    const first = await system.book(
      owner,
      { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' },
      requestId,
    );

    // Act
    const reused = await system.book(
      owner,
      { jobId, applicationId: applicationIds[1], paymentToken: 'tok_visa' },
      requestId,
    );
    await system.settle();

    // Assert
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/request id/) });
    expect(await bookingsOf(system, owner)).toEqual([first.body.id]);
  });

  it('when another customer sends the same request id, then it is a request of its own', async () => {
    // Arrange
    const a = await system.jobWithApplicants(1);
    const b = await system.jobWithApplicants(1);
    const requestId = { [Headers.requestId]: randomUUID() };

    // Act
    const first = await system.book(
      a.owner,
      { jobId: a.jobId, applicationId: a.applicationIds[0], paymentToken: 'tok_visa' },
      requestId,
    );
    const second = await system.book(
      b.owner,
      { jobId: b.jobId, applicationId: b.applicationIds[0], paymentToken: 'tok_visa' },
      requestId,
    );

    // Assert
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).not.toBe(first.body.id);
  });
});
