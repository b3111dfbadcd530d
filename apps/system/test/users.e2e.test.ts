import { CREATE_JOB, CREATE_USER, jobInput, signUp } from './support/fixtures';
import { errorCodes, startTestSystem, uniqueName, type TestSystem } from './support/harness';

const GET_USER = `query ($username: String!) { getUser(username: $username) { username firstName lastName address about latitude longitude email status } }`;
const UPDATE_USER = `mutation ($user: UpdateUserInput!) { updateUser(user: $user) { username firstName lastName address about latitude longitude email } }`;
const UPDATE_STATUS = `mutation ($username: String!, $status: UserStatus!) { updateUserStatus(username: $username, status: $status) { username status } }`;

const profile = (username: string, overrides: Record<string, unknown> = {}) => ({
  username,
  email: `${username}@example.com`,
  type: 'PARENT',
  firstName: 'Ada',
  lastName: 'Byron',
  latitude: 51.5,
  longitude: -0.12,
  ...overrides,
});

describe('users through the gateway', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a caller creates their own profile, then it is stored as given and starts UNVERIFIED', async () => {
    const username = uniqueName('ada');

    const response = await t.gql(CREATE_USER, { user: profile(username) }, { token: t.tokenFor(username, 'PARENT') });

    expect(response.errors).toBeUndefined();
    expect(response.data?.createUser).toMatchObject({
      username,
      email: `${username}@example.com`,
      type: 'PARENT',
      latitude: 51.5,
      longitude: -0.12,
      status: 'UNVERIFIED',
    });
    expect(Date.parse((response.data?.createUser as { createdOn: string }).createdOn)).not.toBeNaN();
  });

  it('when there is no token, then createUser is UNAUTHENTICATED and nothing is stored', async () => {
    const username = uniqueName('anon');

    const response = await t.gql(CREATE_USER, { user: profile(username) });

    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    const lookup = await t.gql(GET_USER, { username }, { token: t.tokenFor('someone', 'ADMIN') });
    expect(lookup.data?.getUser).toBeNull();
  });

  it('when a caller creates a profile for another username, then it is FORBIDDEN', async () => {
    const response = await t.gql(
      CREATE_USER,
      { user: profile(uniqueName('victim')) },
      { token: t.tokenFor(uniqueName('mallory'), 'PARENT') },
    );

    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });

  it('when the email is malformed, then it is BAD_USER_INPUT naming the field', async () => {
    const username = uniqueName('bad');

    const response = await t.gql(
      CREATE_USER,
      { user: profile(username, { email: 'not-an-email' }) },
      { token: t.tokenFor(username, 'PARENT') },
    );

    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.field).toBe('email');
  });

  it('when a username or an email is taken, then CONFLICT says which one', async () => {
    const first = uniqueName('first');
    await t.gql(CREATE_USER, { user: profile(first) }, { token: t.tokenFor(first, 'PARENT') });
    const second = uniqueName('second');

    const sameUsername = await t.gql(
      CREATE_USER,
      { user: profile(first, { email: `${second}@example.com` }) },
      { token: t.tokenFor(first, 'PARENT') },
    );
    const sameEmail = await t.gql(
      CREATE_USER,
      { user: profile(second, { email: `${first}@EXAMPLE.com` }) },
      { token: t.tokenFor(second, 'PARENT') },
    );

    expect(errorCodes(sameUsername)).toEqual(['CONFLICT']);
    expect(sameUsername.errors?.[0].message).toMatch(/username/i);
    expect(errorCodes(sameEmail)).toEqual(['CONFLICT']);
    expect(sameEmail.errors?.[0].message).toMatch(/email/i);
  });

  it('when 40 callers race to create one username, then exactly one wins and the rest get CONFLICT', async () => {
    const username = uniqueName('race');
    const token = t.tokenFor(username, 'PARENT');

    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.gql(CREATE_USER, { user: profile(username, { email: `${username}-${i}@example.com` }) }, { token }),
      ),
    );

    expect(responses.filter((response) => !response.errors)).toHaveLength(1);
    expect(responses.flatMap(errorCodes).filter((code) => code === 'CONFLICT')).toHaveLength(39);
  });

  it('when 40 callers race to register one email, then exactly one wins', async () => {
    const email = `${uniqueName('shared')}@example.com`;

    const responses = await Promise.all(
      Array.from({ length: 40 }, () => {
        const username = uniqueName('racer');
        return t.gql(CREATE_USER, { user: profile(username, { email }) }, { token: t.tokenFor(username, 'PARENT') });
      }),
    );

    expect(responses.filter((response) => !response.errors)).toHaveLength(1);
    expect(responses.flatMap(errorCodes).filter((code) => code === 'CONFLICT')).toHaveLength(39);
  });

  it('when the owner updates a profile, then only the editable fields change', async () => {
    const username = uniqueName('owner');
    const token = t.tokenFor(username, 'PARENT');
    await t.gql(CREATE_USER, { user: profile(username) }, { token });

    const response = await t.gql(
      UPDATE_USER,
      { user: { username, firstName: 'Augusta', address: '12 St James Square', latitude: 10.5, longitude: 20.25 } },
      { token },
    );

    expect(response.errors).toBeUndefined();
    expect(response.data?.updateUser).toMatchObject({
      username,
      firstName: 'Augusta',
      lastName: 'Byron',
      address: '12 St James Square',
      latitude: 10.5,
      longitude: 20.25,
      email: `${username}@example.com`,
    });
  });

  it('when someone else updates a profile, then it is FORBIDDEN and the profile is unchanged', async () => {
    const username = uniqueName('target');
    const token = t.tokenFor(username, 'PARENT');
    await t.gql(CREATE_USER, { user: profile(username) }, { token });

    const response = await t.gql(
      UPDATE_USER,
      { user: { username, firstName: 'Hacked' } },
      { token: t.tokenFor(uniqueName('intruder'), 'PARENT') },
    );

    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    const after = await t.gql(GET_USER, { username }, { token });
    expect(after.data?.getUser).toMatchObject({ firstName: 'Ada' });
  });

  it('when an admin updates a profile, then it changes', async () => {
    const username = uniqueName('managed');
    await t.gql(CREATE_USER, { user: profile(username) }, { token: t.tokenFor(username, 'PARENT') });

    const response = await t.gql(
      UPDATE_USER,
      { user: { username, about: 'Edited by support' } },
      { token: t.tokenFor(uniqueName('admin'), 'ADMIN') },
    );

    expect(response.data?.updateUser).toMatchObject({ username });
    const after = await t.gql(GET_USER, { username }, { token: t.tokenFor(username, 'PARENT') });
    expect(after.data?.getUser).toMatchObject({ about: 'Edited by support' });
  });

  it('when an unknown user is updated, then it is NOT_FOUND', async () => {
    const response = await t.gql(
      UPDATE_USER,
      { user: { username: uniqueName('ghost'), firstName: 'Nobody' } },
      { token: t.tokenFor(uniqueName('admin'), 'ADMIN') },
    );

    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
  });

  it('when getUser names an unknown user, then the answer is null without an error', async () => {
    const response = await t.gql(
      GET_USER,
      { username: uniqueName('nobody') },
      { token: t.tokenFor('reader', 'NANNY') },
    );

    expect(response.errors).toBeUndefined();
    expect(response.data?.getUser).toBeNull();
  });

  it('when a non-admin changes a status, then it is FORBIDDEN', async () => {
    const { username, token } = await signUp(t, 'PARENT');

    const response = await t.gql(UPDATE_STATUS, { username, status: 'VERIFIED' }, { token });

    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });

  it('when an admin deactivates a parent, then that parent can no longer create jobs', async () => {
    const { username, token } = await signUp(t, 'PARENT');
    const admin = t.tokenFor(uniqueName('admin'), 'ADMIN');

    const deactivated = await t.gql(UPDATE_STATUS, { username, status: 'DEACTIVATED' }, { token: admin });
    const createJob = await t.gql(CREATE_JOB, { job: jobInput() }, { token });

    expect(deactivated.data?.updateUserStatus).toEqual({ username, status: 'DEACTIVATED' });
    expect(errorCodes(createJob)).toEqual(['FORBIDDEN']);
  });
});
