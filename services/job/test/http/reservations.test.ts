import type { Actor } from '@sitter/ports';
import { adminActor, as, jobBody, signUp, startJobService, type JobServiceUnderTest } from '../support/http';

describe('reservation routes', () => {
  let service: JobServiceUnderTest;

  beforeAll(async () => {
    service = await startJobService();
  });

  afterAll(async () => {
    await service.stop();
  });

  const jobWithApplications = async (count: number) => {
    const owner = await signUp(service.runtime, 'PARENT');
    const jobId: string = (await service.http.post('/jobs').set(as(owner)).send(jobBody())).body.id;
    const applicationIds: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const nanny = await signUp(service.runtime, 'NANNY');
      applicationIds.push((await service.http.post(`/jobs/${jobId}/applications`).set(as(nanny)).send({})).body.id);
    }
    return { owner, jobId, applicationIds };
  };

  const reserve = (caller: Actor, jobId: string, body: unknown) =>
    service.http
      .post(`/jobs/${jobId}/reservations`)
      .set(as(caller))
      .send(body as object);

  const release = (caller: Actor, jobId: string, applicationId: string) =>
    service.http.delete(`/jobs/${jobId}/reservations/${applicationId}`).set(as(caller));

  describe('POST /jobs/:id/reservations', () => {
    it('when the owner books a pending application, then 200 { job, application, otherPendingApplicationIds }', async () => {
      const { owner, jobId, applicationIds } = await jobWithApplications(3);
      const [chosen, ...others] = applicationIds;

      const response = await reserve(owner, jobId, { applicationId: chosen });

      expect(response.status).toBe(200);
      expect(response.body.job).toMatchObject({ id: jobId, status: 'CLOSED' });
      expect(response.body.application).toMatchObject({ id: chosen, jobId, status: 'ACCEPTED' });
      expect([...response.body.otherPendingApplicationIds].sort()).toEqual([...others].sort());
      expect((await service.http.get(`/jobs/${jobId}`)).body.status).toBe('CLOSED');
    });

    it('when an admin or another parent books, then 403', async () => {
      const { jobId, applicationIds } = await jobWithApplications(1);

      expect((await reserve(adminActor(), jobId, { applicationId: applicationIds[0] })).status).toBe(403);
      expect(
        (await reserve(await signUp(service.runtime, 'PARENT'), jobId, { applicationId: applicationIds[0] })).status,
      ).toBe(403);
    });

    it('when applicationId is missing, then 400 naming it', async () => {
      const { owner, jobId } = await jobWithApplications(1);

      const response = await reserve(owner, jobId, {});

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'applicationId' });
    });

    it('when the job or the application does not exist, then 404', async () => {
      const { owner, jobId } = await jobWithApplications(0);

      expect((await reserve(owner, 'no-such-job', { applicationId: 'x' })).status).toBe(404);
      expect((await reserve(owner, jobId, { applicationId: 'no-such-application' })).status).toBe(404);
    });

    it('when the job is already booked, then 409', async () => {
      const { owner, jobId, applicationIds } = await jobWithApplications(2);
      await reserve(owner, jobId, { applicationId: applicationIds[0] });

      const response = await reserve(owner, jobId, { applicationId: applicationIds[1] });

      expect(response.status).toBe(409);
      expect(response.body.code).toBe('CONFLICT');
    });

    it('when 10 reservations of different applications race, then exactly one 200 and nine 409', async () => {
      const { owner, jobId, applicationIds } = await jobWithApplications(10);

      const responses = await Promise.all(
        applicationIds.map((applicationId) => reserve(owner, jobId, { applicationId })),
      );

      expect(responses.map((response) => response.status).sort()).toEqual([200, ...Array(9).fill(409)]);
      const listed = await service.http.get(`/jobs/${jobId}/applications`).set(as(owner));
      expect(listed.body.filter((app: { status: string }) => app.status === 'ACCEPTED')).toHaveLength(1);
    });
  });

  describe('DELETE /jobs/:id/reservations/:applicationId', () => {
    it('when the owner releases a booking, then 200 with the job OPEN and the application PENDING, and again 200', async () => {
      const { owner, jobId, applicationIds } = await jobWithApplications(1);
      await reserve(owner, jobId, { applicationId: applicationIds[0] });

      const first = await release(owner, jobId, applicationIds[0]);
      const second = await release(owner, jobId, applicationIds[0]);

      expect(first.status).toBe(200);
      expect(first.body.job).toMatchObject({ id: jobId, status: 'OPEN' });
      expect(first.body.application).toMatchObject({ id: applicationIds[0], status: 'PENDING' });
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      const open = await service.http.get('/jobs').query({ status: 'OPEN', limit: 100 });
      expect(open.body.items.map((job: { id: string }) => job.id)).toContain(jobId);
    });

    it('when the job is booked for another application, then 409; when an admin releases, then 403', async () => {
      const { owner, jobId, applicationIds } = await jobWithApplications(2);
      await reserve(owner, jobId, { applicationId: applicationIds[0] });

      expect((await release(owner, jobId, applicationIds[1])).status).toBe(409);
      expect((await release(adminActor(), jobId, applicationIds[0])).status).toBe(403);
    });
  });
});
