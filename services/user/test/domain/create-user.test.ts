import { AppError } from '@sitter/ports';
import { EmbeddedStateStore } from '@sitter/embedded-runtime';
import { ManualClock, userUseCasesOn, actor, rejection, signUpInput, uniqueUsername } from '../support/fixtures';

const setup = () => {
  const store = new EmbeddedStateStore();
  const clock = new ManualClock();
  return { store, clock, users: userUseCasesOn(store, clock) };
};

describe('createUser', () => {
  it('when the caller signs up with valid data, then the user is stored UNVERIFIED with clock timestamps', async () => {
    const { store, users } = setup();
    const username = uniqueUsername();
    const input = signUpInput(username, {
      type: 'NANNY',
      firstName: '  Grace ',
      lastName: ' Hopper',
      dateOfBirth: '1990-02-28',
      profilePicUrl: 'https://example.com/me.png',
      address: '1 Main St',
      about: 'I love kids',
      latitude: 51.5,
      longitude: -0.12,
    });

    const user = await users.createUser(actor(username, 'NANNY'), input);

    expect(user).toEqual({
      username,
      email: `${username}@example.com`,
      type: 'NANNY',
      firstName: 'Grace',
      lastName: 'Hopper',
      dateOfBirth: '1990-02-28',
      profilePicUrl: 'https://example.com/me.png',
      address: '1 Main St',
      about: 'I love kids',
      latitude: 51.5,
      longitude: -0.12,
      status: 'UNVERIFIED',
      createdOn: '2025-06-01T12:00:00.000Z',
      updatedOn: '2025-06-01T12:00:00.000Z',
    });
    expect((await store.get(`user:${username}`))?.value).toEqual(user);
    expect((await store.get(`user-email:${username}@example.com`))?.value).toEqual({ username });
  });

  it('when optional fields are null, then they are left out of the user', async () => {
    const { users } = setup();
    const username = uniqueUsername();

    const user = await users.createUser(
      actor(username),
      signUpInput(username, { dateOfBirth: null, address: null, latitude: null }),
    );

    expect(user).not.toHaveProperty('dateOfBirth');
    expect(user).not.toHaveProperty('address');
    expect(user).not.toHaveProperty('latitude');
  });

  it('when the caller signs up under another username, then FORBIDDEN', async () => {
    const { store, users } = setup();
    const username = uniqueUsername();

    const error = await rejection(users.createUser(actor(uniqueUsername('other')), signUpInput(username)));

    expect(error.code).toBe('FORBIDDEN');
    expect(await store.get(`user:${username}`)).toBeUndefined();
  });

  it('when the input is not an object, then BAD_USER_INPUT on the input', async () => {
    const { users } = setup();

    const error = await rejection(users.createUser(actor('someone'), 'not an object'));

    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
  });

  const invalid: Array<[string, string, Record<string, unknown>]> = [
    ['username', 'shorter than 3', { username: 'ab' }],
    ['username', 'longer than 64', { username: 'x'.repeat(65) }],
    ['username', 'with a space', { username: 'has space' }],
    ['username', 'with a semicolon', { username: 'semi;colon' }],
    ['email', 'not an address', { email: 'not-an-email' }],
    ['email', 'missing', { email: undefined }],
    ['type', 'not PARENT or NANNY', { type: 'ADMIN' }],
    ['firstName', 'blank after trimming', { firstName: '   ' }],
    ['firstName', 'longer than 100', { firstName: 'x'.repeat(101) }],
    ['lastName', 'missing', { lastName: undefined }],
    ['lastName', 'not a string', { lastName: 42 }],
    ['dateOfBirth', 'not a calendar day', { dateOfBirth: '2020-02-30' }],
    ['dateOfBirth', 'not ISO', { dateOfBirth: '01/02/2000' }],
    ['dateOfBirth', 'today', { dateOfBirth: '2025-06-01' }],
    ['dateOfBirth', 'in the future', { dateOfBirth: '2030-01-01' }],
    ['profilePicUrl', 'not a URL', { profilePicUrl: 'not a url' }],
    ['profilePicUrl', 'ftp', { profilePicUrl: 'ftp://example.com/me.png' }],
    ['profilePicUrl', 'javascript', { profilePicUrl: 'javascript:alert(1)' }],
    ['address', 'longer than 500', { address: 'x'.repeat(501) }],
    ['about', 'longer than 2000', { about: 'x'.repeat(2001) }],
    ['latitude', 'above 90', { latitude: 90.5 }],
    ['latitude', 'below -90', { latitude: -91 }],
    ['latitude', 'a string', { latitude: '45' }],
    ['longitude', 'above 180', { longitude: 180.01 }],
    ['longitude', 'below -180', { longitude: -181 }],
    ['status', 'given at sign-up', { status: 'VERIFIED' }],
    ['createdOn', 'given at sign-up', { createdOn: '2020-01-01T00:00:00.000Z' }],
  ];

  it.each(invalid)('when %s is %s, then BAD_USER_INPUT names it', async (field, _case, overrides) => {
    const { users } = setup();
    const username = typeof overrides.username === 'string' ? overrides.username : uniqueUsername();

    const error = await rejection(users.createUser(actor(username), signUpInput(username, overrides)));

    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('when the fields sit on their limits, then the user is created', async () => {
    const { users } = setup();
    const username = `a.b_c@d-${'x'.repeat(56)}`;

    const user = await users.createUser(
      actor(username),
      signUpInput(username, {
        email: 'edge@example.com',
        firstName: 'x'.repeat(100),
        about: 'x'.repeat(2000),
        dateOfBirth: '2025-05-31',
        profilePicUrl: 'http://example.com/a.png',
        latitude: -90,
        longitude: 180,
      }),
    );

    expect(user).toMatchObject({ username, latitude: -90, longitude: 180, dateOfBirth: '2025-05-31' });
  });

  it('when the username is taken, then CONFLICT says so and the new email stays free', async () => {
    const { store, users } = setup();
    const username = uniqueUsername();
    await users.createUser(actor(username), signUpInput(username));

    const error = await rejection(
      users.createUser(actor(username), signUpInput(username, { email: `other-${username}@example.com` })),
    );

    expect(error).toMatchObject({ code: 'CONFLICT', message: `username '${username}' is already taken` });
    expect(await store.get(`user-email:other-${username}@example.com`)).toBeUndefined();
  });

  it('when the email is registered in another case, then CONFLICT says so and the username stays free', async () => {
    const { store, users } = setup();
    const first = uniqueUsername('first');
    const second = uniqueUsername('second');
    await users.createUser(actor(first), signUpInput(first, { email: 'Shared.Person@Example.com' }));

    const error = await rejection(
      users.createUser(actor(second), signUpInput(second, { email: 'shared.person@example.COM' })),
    );

    expect(error).toMatchObject({
      code: 'CONFLICT',
      message: "email 'shared.person@example.COM' is already registered",
    });
    expect(await store.get(`user:${second}`)).toBeUndefined();
  });

  it('when 40 sign-ups race for one username, then exactly one succeeds and 39 get CONFLICT', async () => {
    const { users } = setup();
    const username = uniqueUsername();

    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, index) =>
        users.createUser(actor(username), signUpInput(username, { email: `racer${index}-${username}@example.com` })),
      ),
    );

    const failures = results.filter((result) => result.status === 'rejected').map((result) => result.reason);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(failures).toHaveLength(39);
    expect(failures.every((error) => error instanceof AppError && error.code === 'CONFLICT')).toBe(true);
  });

  it('when 40 sign-ups race for one email, then exactly one succeeds and 39 get CONFLICT', async () => {
    const { users } = setup();
    const email = `${uniqueUsername('shared')}@example.com`;

    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => {
        const username = uniqueUsername();
        return users.createUser(actor(username), signUpInput(username, { email }));
      }),
    );

    const failures = results.filter((result) => result.status === 'rejected').map((result) => result.reason);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(failures).toHaveLength(39);
    expect(
      failures.every(
        (error) => error instanceof AppError && error.message === `email '${email}' is already registered`,
      ),
    ).toBe(true);
  });
});
