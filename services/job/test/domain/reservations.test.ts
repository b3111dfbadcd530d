import {
  applyToJob,
  getJob,
  Keys,
  listJobApplications,
  releaseReservation,
  reserveApplication,
  type JobApplication,
} from '../../src/domain';
import { admin, expectAppError, jobWithApplications, nanny, parent, testDomain, withAccount } from '../support/domain';
import { storedIds } from '../support/status-index';

type Domain = ReturnType<typeof testDomain>;

const statusIndex = (domain: Domain, status: 'OPEN' | 'CLOSED') => storedIds(domain.store, status);

describe('reserveApplication', () => {
  it('when the owner books a pending application, then job CLOSED, application ACCEPTED, indexes moved, others named', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 3);
    const [chosen, ...others] = applications;

    const reservation = await reserveApplication(domain, owner, job.id, { applicationId: chosen.id });

    expect(reservation.job).toMatchObject({ id: job.id, status: 'CLOSED' });
    expect(reservation.application).toMatchObject({ id: chosen.id, status: 'ACCEPTED' });
    expect(reservation.otherPendingApplicationIds.sort()).toEqual(others.map((other) => other.id).sort());
    expect(await getJob(domain, job.id)).toEqual(reservation.job);
    expect((await domain.store.get(Keys.application(chosen.id)))?.value).toEqual(reservation.application);
    expect(await statusIndex(domain, 'OPEN')).toEqual([]);
    expect(await statusIndex(domain, 'CLOSED')).toEqual([job.id]);
  });

  it('when the owner is not the caller, then FORBIDDEN, even for an ADMIN', async () => {
    const domain = testDomain();
    const { job, applications } = await jobWithApplications(domain, 1);

    await expectAppError(
      reserveApplication(domain, admin(), job.id, { applicationId: applications[0].id }),
      'FORBIDDEN',
    );
    await expectAppError(
      reserveApplication(domain, parent(), job.id, { applicationId: applications[0].id }),
      'FORBIDDEN',
    );
    expect((await getJob(domain, job.id)).status).toBe('OPEN');
  });

  it('when the job does not exist, then NOT_FOUND', async () => {
    await expectAppError(
      reserveApplication(testDomain(), parent(), 'no-such-job', { applicationId: 'x' }),
      'NOT_FOUND',
    );
  });

  it('when the application does not exist or belongs to another job, then NOT_FOUND', async () => {
    const domain = testDomain();
    const { owner, job } = await jobWithApplications(domain, 0);
    const elsewhere = await jobWithApplications(domain, 1);

    await expectAppError(reserveApplication(domain, owner, job.id, { applicationId: 'no-such-app' }), 'NOT_FOUND');
    await expectAppError(
      reserveApplication(domain, owner, job.id, { applicationId: elsewhere.applications[0].id }),
      'NOT_FOUND',
    );
  });

  it('when applicationId is missing, then BAD_USER_INPUT naming it', async () => {
    const domain = testDomain();
    const { owner, job } = await jobWithApplications(domain, 1);

    await expectAppError(reserveApplication(domain, owner, job.id, {}), 'BAD_USER_INPUT', 'applicationId');
  });

  it('when the job is already booked, then CONFLICT "job is not open"', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 2);
    await reserveApplication(domain, owner, job.id, { applicationId: applications[0].id });

    const error = await expectAppError(
      reserveApplication(domain, owner, job.id, { applicationId: applications[1].id }),
      'CONFLICT',
    );

    expect(error.message).toBe('job is not open');
  });

  it('when the application is not pending, then CONFLICT', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 1);
    await domain.store.save(Keys.application(applications[0].id), { ...applications[0], status: 'DECLINED' });

    await expectAppError(reserveApplication(domain, owner, job.id, { applicationId: applications[0].id }), 'CONFLICT');
  });

  it('when 10 reservations of different applications race, then exactly one wins and the rest are CONFLICT', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 10);

    const results = await Promise.allSettled(
      applications.map((application) => reserveApplication(domain, owner, job.id, { applicationId: application.id })),
    );

    const winners = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => result.status === 'rejected').map((result) => result.reason.code)).toEqual(
      Array(9).fill('CONFLICT'),
    );
    const stored = await listJobApplications(domain, owner, job.id);
    expect(stored.filter((application) => application.status === 'ACCEPTED').map((app) => app.id)).toEqual([
      winners[0].application.id,
    ]);
    expect(winners[0].otherPendingApplicationIds).toHaveLength(9);
  });

  it('when nannies apply while the job is booked, then every application that got in is named for declining', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 1);
    const latecomers = Array.from({ length: 10 }, () => withAccount(domain, nanny()));

    const [reservation, ...applies] = await Promise.allSettled([
      reserveApplication(domain, owner, job.id, { applicationId: applications[0].id }),
      ...latecomers.map((latecomer) => applyToJob(domain, latecomer, job.id)),
    ]);

    if (reservation.status !== 'fulfilled') throw reservation.reason;
    const landed = applies.flatMap((result) =>
      result.status === 'fulfilled' ? [(result.value as JobApplication).id] : [],
    );
    const refused = applies.flatMap((result) => (result.status === 'rejected' ? [result.reason.message] : []));
    expect(reservation.value.otherPendingApplicationIds.sort()).toEqual(landed.sort());
    expect(refused.every((message) => message === 'job is not open')).toBe(true);
    expect(landed.length + refused.length).toBe(10);
  });
});

describe('releaseReservation', () => {
  it('when the owner releases a booked job, then job OPEN, application PENDING and the indexes move back', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 1);
    await reserveApplication(domain, owner, job.id, { applicationId: applications[0].id });

    const released = await releaseReservation(domain, owner, job.id, applications[0].id);

    expect(released.job).toMatchObject({ id: job.id, status: 'OPEN' });
    expect(released.application).toMatchObject({ id: applications[0].id, status: 'PENDING' });
    expect(await getJob(domain, job.id)).toEqual(released.job);
    expect(await statusIndex(domain, 'OPEN')).toEqual([job.id]);
    expect(await statusIndex(domain, 'CLOSED')).toEqual([]);
  });

  it('when the release is repeated, then it answers the same OPEN/PENDING state', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 1);
    await reserveApplication(domain, owner, job.id, { applicationId: applications[0].id });
    const first = await releaseReservation(domain, owner, job.id, applications[0].id);

    const second = await releaseReservation(domain, owner, job.id, applications[0].id);

    expect(second).toEqual(first);
  });

  it('when the job was released, then it can be booked again', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 2);
    await reserveApplication(domain, owner, job.id, { applicationId: applications[0].id });
    await releaseReservation(domain, owner, job.id, applications[0].id);

    const rebooked = await reserveApplication(domain, owner, job.id, { applicationId: applications[1].id });

    expect(rebooked.otherPendingApplicationIds).toEqual([applications[0].id]);
  });

  it('when the job is booked for another application, then CONFLICT and nothing changes', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 2);
    await reserveApplication(domain, owner, job.id, { applicationId: applications[0].id });

    await expectAppError(releaseReservation(domain, owner, job.id, applications[1].id), 'CONFLICT');

    expect((await getJob(domain, job.id)).status).toBe('CLOSED');
  });

  it('when someone other than the owner releases, then FORBIDDEN, even for an ADMIN', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 1);
    await reserveApplication(domain, owner, job.id, { applicationId: applications[0].id });

    await expectAppError(releaseReservation(domain, admin(), job.id, applications[0].id), 'FORBIDDEN');
  });

  it('when the job or the application does not exist, then NOT_FOUND', async () => {
    const domain = testDomain();
    const { owner, job } = await jobWithApplications(domain, 0);

    await expectAppError(releaseReservation(domain, owner, 'no-such-job', 'x'), 'NOT_FOUND');
    await expectAppError(releaseReservation(domain, owner, job.id, 'no-such-app'), 'NOT_FOUND');
  });
});
