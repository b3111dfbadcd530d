import { as, jobBody, signUp, startJobService, type JobServiceUnderTest } from '../support/http';

describe('POST /applications/:id/decline', () => {
  let service: JobServiceUnderTest;

  beforeAll(async () => {
    service = await startJobService();
  });

  afterAll(async () => {
    await service.stop();
  });

  const pendingApplication = async () => {
    const owner = await signUp(service.runtime, 'PARENT');
    const jobId: string = (await service.http.post('/jobs').set(as(owner)).send(jobBody())).body.id;
    const nanny = await signUp(service.runtime, 'NANNY');
    const applicationId: string = (await service.http.post(`/jobs/${jobId}/applications`).set(as(nanny)).send({})).body
      .id;
    return { owner, jobId, applicationId };
  };

  const declineBody = (jobId: string, reason = 'another nanny was booked') => ({
    jobId,
    reason,
    source: 'booking',
    requestedAt: '2031-01-01T10:00:00.000Z',
  });

  const applicationOf = async (owner: Parameters<typeof as>[0], jobId: string, applicationId: string) => {
    const listed = await service.http.get(`/jobs/${jobId}/applications`).set(as(owner));
    return listed.body.find((application: { id: string }) => application.id === applicationId);
  };

  it('when the application is PENDING, then 200 DECLINED and the application is DECLINED with the reason', async () => {
    const { owner, jobId, applicationId } = await pendingApplication();

    const response = await service.http.post(`/applications/${applicationId}/decline`).send(declineBody(jobId));

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      outcome: 'DECLINED',
      application: { id: applicationId, status: 'DECLINED' },
    });
    expect(await applicationOf(owner, jobId, applicationId)).toMatchObject({
      status: 'DECLINED',
      declineReason: 'another nanny was booked',
    });
  });

  it('when the same decline comes twice, then the second answers 200 ALREADY_DECLINED and changes nothing', async () => {
    const { owner, jobId, applicationId } = await pendingApplication();
    await service.http.post(`/applications/${applicationId}/decline`).send(declineBody(jobId, 'first reason'));
    const afterFirst = await applicationOf(owner, jobId, applicationId);

    const second = await service.http
      .post(`/applications/${applicationId}/decline`)
      .send(declineBody(jobId, 'second reason'));

    expect(second.status).toBe(200);
    expect(second.body.outcome).toBe('ALREADY_DECLINED');
    expect(await applicationOf(owner, jobId, applicationId)).toEqual(afterFirst);
  });

  it('when the application is ACCEPTED, then 409 CONFLICT naming status, and it stays ACCEPTED', async () => {
    const { owner, jobId, applicationId } = await pendingApplication();
    await service.http.post(`/jobs/${jobId}/reservations`).set(as(owner)).send({ applicationId });

    const response = await service.http.post(`/applications/${applicationId}/decline`).send(declineBody(jobId));

    expect(response.status).toBe(409);
    expect(response.body).toEqual({
      code: 'CONFLICT',
      field: 'status',
      message: 'refused: accepted applications are never declined',
    });
    expect(await applicationOf(owner, jobId, applicationId)).toMatchObject({ status: 'ACCEPTED' });
  });

  it('when the application is unknown, then 404', async () => {
    const { jobId } = await pendingApplication();

    const response = await service.http.post('/applications/unknown-application-id/decline').send(declineBody(jobId));

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('when the job id is not the application job, then 404 and the application stays PENDING', async () => {
    const { owner, jobId, applicationId } = await pendingApplication();

    const response = await service.http
      .post(`/applications/${applicationId}/decline`)
      .send(declineBody('some-other-job'));

    expect(response.status).toBe(404);
    expect(await applicationOf(owner, jobId, applicationId)).toMatchObject({ status: 'PENDING' });
  });

  it('when the body is incomplete, then 400 naming the field', async () => {
    const { jobId, applicationId } = await pendingApplication();

    const response = await service.http
      .post(`/applications/${applicationId}/decline`)
      .send({ ...declineBody(jobId), requestedAt: 'soon' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'requestedAt' });
  });

  it('when called through the embedded invoker as the decliner would, then it answers the same', async () => {
    const { jobId, applicationId } = await pendingApplication();

    const response = await service.runtime.invoker.invoke('job', {
      method: 'POST',
      path: `/applications/${encodeURIComponent(applicationId)}/decline`,
      body: declineBody(jobId),
    });

    expect(response).toMatchObject({ status: 200, body: { outcome: 'DECLINED' } });
  });
});
