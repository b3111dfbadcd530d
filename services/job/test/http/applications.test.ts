import type { Actor } from '@sitter/ports';
import {
  adminActor,
  as,
  deactivate,
  jobBody,
  signUp,
  startJobService,
  type JobServiceUnderTest,
} from '../support/http';

describe('application routes', () => {
  let service: JobServiceUnderTest;

  beforeAll(async () => {
    service = await startJobService();
  });

  afterAll(async () => {
    await service.stop();
  });

  const postJob = async (): Promise<{ owner: Actor; jobId: string }> => {
    const owner = await signUp(service.runtime, 'PARENT');
    const response = await service.http.post('/jobs').set(as(owner)).send(jobBody());
    return { owner, jobId: response.body.id };
  };

  const apply = (jobId: string, nanny: Actor) =>
    service.http.post(`/jobs/${jobId}/applications`).set(as(nanny)).send({});

  describe('POST /jobs/:id/applications', () => {
    it('when a signed-up nanny applies to an open job, then 201 with a PENDING application', async () => {
      const { jobId } = await postJob();
      const nanny = await signUp(service.runtime, 'NANNY');

      const response = await apply(jobId, nanny);

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        jobId,
        nanny: nanny.username,
        status: 'PENDING',
        createdOn: expect.any(String),
        updatedOn: response.body.createdOn,
      });
    });

    it('when a parent applies, then 403', async () => {
      const { jobId } = await postJob();

      const response = await apply(jobId, await signUp(service.runtime, 'PARENT'));

      expect(response.status).toBe(403);
    });

    it('when the nanny has no profile, then 403 asking to create it', async () => {
      const { jobId } = await postJob();

      const response = await apply(jobId, { username: 'nanny-without-profile', roles: ['NANNY'] });

      expect(response.status).toBe(403);
      expect(response.body.message).toBe('create your user profile first');
    });

    it('when the nanny account was deactivated, then 403', async () => {
      const { jobId } = await postJob();
      const nanny = await signUp(service.runtime, 'NANNY');
      await deactivate(service.runtime, nanny.username);

      expect((await apply(jobId, nanny)).status).toBe(403);
    });

    it('when the job does not exist, then 404', async () => {
      const response = await apply('no-such-job', await signUp(service.runtime, 'NANNY'));

      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });

    it('when the job is booked, then 409 "job is not open"', async () => {
      const { owner, jobId } = await postJob();
      const first = await apply(jobId, await signUp(service.runtime, 'NANNY'));
      await service.http.post(`/jobs/${jobId}/reservations`).set(as(owner)).send({ applicationId: first.body.id });

      const response = await apply(jobId, await signUp(service.runtime, 'NANNY'));

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'CONFLICT', message: 'job is not open' });
    });

    it('when 20 nannies apply in parallel, then all 20 are in the job applications index', async () => {
      const { owner, jobId } = await postJob();
      const nannies = await Promise.all(Array.from({ length: 20 }, () => signUp(service.runtime, 'NANNY')));

      const responses = await Promise.all(nannies.map((nanny) => apply(jobId, nanny)));

      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
      const index = await service.sidecar.store.get<{ entries: Array<{ nanny: string }> }>(
        `applications-by-job:${jobId}`,
      );
      expect(index?.value.entries.map((entry) => entry.nanny).sort()).toEqual(
        nannies.map((nanny) => nanny.username).sort(),
      );
      const listed = await service.http.get(`/jobs/${jobId}/applications`).set(as(owner));
      expect(listed.body).toHaveLength(20);
    });

    it('when the same nanny applies 5 times in parallel, then one 201 and four 409', async () => {
      const { jobId } = await postJob();
      const nanny = await signUp(service.runtime, 'NANNY');

      const responses = await Promise.all(Array.from({ length: 5 }, () => apply(jobId, nanny)));

      expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409]);
    });
  });

  describe('GET /jobs/:id/applications', () => {
    it("when the job's owner or an admin asks, then 200 with the applications", async () => {
      const { owner, jobId } = await postJob();
      const application = (await apply(jobId, await signUp(service.runtime, 'NANNY'))).body;

      const byOwner = await service.http.get(`/jobs/${jobId}/applications`).set(as(owner));
      const byAdmin = await service.http.get(`/jobs/${jobId}/applications`).set(as(adminActor()));

      expect(byOwner.status).toBe(200);
      expect(byOwner.body).toEqual([application]);
      expect(byAdmin.body).toEqual([application]);
    });

    it('when another parent asks, then 403; when the job does not exist, then 404', async () => {
      const { jobId } = await postJob();
      const stranger = await signUp(service.runtime, 'PARENT');

      expect((await service.http.get(`/jobs/${jobId}/applications`).set(as(stranger))).status).toBe(403);
      expect((await service.http.get('/jobs/nope/applications').set(as(stranger))).status).toBe(404);
    });
  });

  describe('GET /nannies/:username/applications', () => {
    it('when the nanny asks, then 200 with each application and its job', async () => {
      const { jobId } = await postJob();
      const nanny = await signUp(service.runtime, 'NANNY');
      const application = (await apply(jobId, nanny)).body;
      const job = (await service.http.get(`/jobs/${jobId}`)).body;

      const response = await service.http.get(`/nannies/${nanny.username}/applications`).set(as(nanny));

      expect(response.status).toBe(200);
      expect(response.body).toEqual([{ ...application, job }]);
    });

    it('when another nanny asks, then 403; when an admin asks, then 200', async () => {
      const nanny = await signUp(service.runtime, 'NANNY');
      const other = await signUp(service.runtime, 'NANNY');

      expect((await service.http.get(`/nannies/${nanny.username}/applications`).set(as(other))).status).toBe(403);
      expect((await service.http.get(`/nannies/${nanny.username}/applications`).set(as(adminActor()))).status).toBe(
        200,
      );
    });
  });
});
