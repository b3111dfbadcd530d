import { adminActor, as, jobBody, signUp, startJobService, type JobServiceUnderTest } from '../support/http';

describe('job routes: input, id and privacy rules', () => {
  let service: JobServiceUnderTest;

  beforeAll(async () => {
    service = await startJobService();
  });

  afterAll(async () => {
    await service.stop();
  });

  const postJob = async (overrides: Record<string, unknown> = {}) => {
    const owner = await signUp(service.runtime, 'PARENT');
    const created = await service.http.post('/jobs').set(as(owner)).send(jobBody(overrides));
    return { owner, created };
  };

  it('when a job starts in the past, then 400 on startDate and nothing is listed', async () => {
    const { owner, created } = await postJob({ startDate: '2029-12-31', endDate: '2031-07-20' });

    const mine = await service.http.get('/jobs').set(as(owner));

    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'startDate' });
    expect(mine.body.items.filter((job: { owner: string }) => job.owner === owner.username)).toEqual([]);
  });

  it('when the address holds a right-to-left override, then 400 on address', async () => {
    const { created } = await postJob({ address: '221B Baker Street\u202E' });

    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'address' });
  });

  it('when a job is read without a caller, then the address is left out and the coordinates are rounded', async () => {
    const { created } = await postJob();

    const anonymous = await service.http.get(`/jobs/${created.body.id}`);
    const admin = await service.http.get(`/jobs/${created.body.id}`).set(as(adminActor()));

    expect(anonymous.status).toBe(200);
    expect(anonymous.body).not.toHaveProperty('address');
    expect(anonymous.body).toMatchObject({ city: 'London', latitude: 51.52, longitude: -0.16 });
    expect(admin.body).toMatchObject({ address: '221B Baker Street', latitude: 51.5238, longitude: -0.1586 });
  });

  it('when closed jobs are listed without a caller, then 401; with one, then 200', async () => {
    const owner = await signUp(service.runtime, 'PARENT');

    const anonymous = await service.http.get('/jobs?status=CLOSED');
    const signedIn = await service.http.get('/jobs?status=CLOSED').set(as(owner));

    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    expect(signedIn.status).toBe(200);
  });

  it.each([
    ['an escaped slash', '/jobs/a%2Fb', 'id'],
    ['a dot-dot segment', '/jobs/%2E%2E/applications', 'id'],
    ['an over-long id', `/jobs/${'j'.repeat(65)}`, 'id'],
    ['a username with a space', '/nannies/a%20b/applications', 'username'],
  ])('when the path holds %s, then 400 naming the parameter', async (_label, path, field) => {
    const response = await service.http.get(path).set(as(adminActor()));

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('when an id segment is empty, then 404 without naming any route', async () => {
    const nanny = await signUp(service.runtime, 'NANNY');

    const response = await service.http.post('/jobs//applications').set(as(nanny)).send({});

    expect(response.status).toBe(404);
    expect(response.body).toEqual({ code: 'NOT_FOUND', message: 'not found' });
  });

  it('when the caller is named by something that is no username, then 403 (no profile), not 503', async () => {
    const stranger = { username: 'bob+1@example.com', roles: ['PARENT' as const] };

    const response = await service.http.post('/jobs').set(as(stranger)).send(jobBody());

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'FORBIDDEN', message: 'create your user profile first' });
  });

  it("when a nanny's username comes in upper case, then it names the same nanny", async () => {
    const nanny = await signUp(service.runtime, 'NANNY');
    const shouting = { username: nanny.username.toUpperCase(), roles: nanny.roles };

    const response = await service.http.get(`/nannies/${nanny.username.toUpperCase()}/applications`).set(as(shouting));

    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
  });
});
