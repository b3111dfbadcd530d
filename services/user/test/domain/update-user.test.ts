import { EmbeddedStateStore } from '@sitter/embedded-runtime';
import { ManualClock, userUseCasesOn, actor, admin, rejection, signUpInput, uniqueUsername } from '../support/fixtures';

const setup = async () => {
  const store = new EmbeddedStateStore();
  const clock = new ManualClock();
  const users = userUseCasesOn(store, clock);
  const username = uniqueUsername();
  const owner = actor(username, 'PARENT');
  const created = await users.createUser(
    owner,
    signUpInput(username, { address: 'Old Road 1', about: 'hello', latitude: 10, longitude: 20 }),
  );
  clock.advance(60_000);
  return { store, clock, users, username, owner, created };
};

describe('updateUser', () => {
  it('when the owner changes the editable fields, then they are saved and updatedOn moves on', async () => {
    const { store, users, username, owner, created } = await setup();

    const updated = await users.updateUser(owner, username, {
      firstName: ' Grace ',
      lastName: 'Hopper',
      address: 'New Road 2',
      about: 'updated',
      latitude: 45.5,
      longitude: -122.6,
    });

    expect(updated).toEqual({
      ...created,
      firstName: 'Grace',
      lastName: 'Hopper',
      address: 'New Road 2',
      about: 'updated',
      latitude: 45.5,
      longitude: -122.6,
      updatedOn: '2025-06-01T12:01:00.000Z',
    });
    expect((await store.get(`user:${username}`))?.value).toEqual(updated);
  });

  it('when only the longitude changes, then the latitude keeps its own value', async () => {
    const { users, username, owner } = await setup();

    const updated = await users.updateUser(owner, username, { longitude: 150 });

    expect(updated).toMatchObject({ latitude: 10, longitude: 150 });
  });

  it('when an optional field is null, then it is cleared', async () => {
    const { users, username, owner } = await setup();

    const updated = await users.updateUser(owner, username, { address: null, latitude: null });

    expect(updated).not.toHaveProperty('address');
    expect(updated).not.toHaveProperty('latitude');
    expect(updated.longitude).toBe(20);
  });

  it('when an admin updates someone else, then it is saved', async () => {
    const { users, username } = await setup();

    const updated = await users.updateUser(admin(), username, { about: 'edited by support' });

    expect(updated.about).toBe('edited by support');
  });

  it('when another user tries to update the profile, then FORBIDDEN and nothing changes', async () => {
    const { users, username, created } = await setup();

    const error = await rejection(
      users.updateUser(actor(uniqueUsername('intruder'), 'PARENT', 'NANNY'), username, { firstName: 'Mallory' }),
    );

    expect(error.code).toBe('FORBIDDEN');
    expect(await users.getUser(actor(username), username)).toEqual(created);
  });

  it('when the user does not exist, then NOT_FOUND', async () => {
    const { users } = await setup();

    const error = await rejection(users.updateUser(admin(), uniqueUsername('ghost'), { firstName: 'Casper' }));

    expect(error.code).toBe('NOT_FOUND');
  });

  it.each(['email', 'username', 'type', 'status', 'dateOfBirth', 'profilePicUrl', 'createdOn'])(
    'when the input carries the non-editable field %s, then BAD_USER_INPUT names it',
    async (field) => {
      const { users, username, owner, created } = await setup();

      const error = await rejection(users.updateUser(owner, username, { firstName: 'Changed', [field]: 'x' }));

      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await users.getUser(owner, username)).toEqual(created);
    },
  );

  const invalid: Array<[string, string, Record<string, unknown>]> = [
    ['firstName', 'blank', { firstName: ' ' }],
    ['firstName', 'null', { firstName: null }],
    ['lastName', 'longer than 100', { lastName: 'x'.repeat(101) }],
    ['about', 'longer than 2000', { about: 'x'.repeat(2001) }],
    ['address', 'not a string', { address: 7 }],
    ['latitude', 'above 90', { latitude: 91 }],
    ['longitude', 'below -180', { longitude: -180.5 }],
  ];

  it.each(invalid)('when %s is %s, then BAD_USER_INPUT names it', async (field, _case, input) => {
    const { users, username, owner } = await setup();

    const error = await rejection(users.updateUser(owner, username, input));

    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('when five updates race on one profile, then each is retried onto the latest version and none is lost', async () => {
    const { users, username, owner } = await setup();

    await Promise.all([
      users.updateUser(owner, username, { firstName: 'F' }),
      users.updateUser(owner, username, { lastName: 'L' }),
      users.updateUser(admin(), username, { address: 'A' }),
      users.updateUser(owner, username, { about: 'B' }),
      users.updateUser(owner, username, { latitude: -5 }),
    ]);

    expect(await users.getUser(owner, username)).toMatchObject({
      firstName: 'F',
      lastName: 'L',
      address: 'A',
      about: 'B',
      latitude: -5,
      longitude: 20,
    });
  });
});

describe('getUser', () => {
  it('when the owner or an admin reads the profile, then they see all of it', async () => {
    const { users, username, owner, created } = await setup();

    expect(await users.getUser(owner, username)).toEqual(created);
    expect(await users.getUser(admin(), username)).toEqual(created);
  });

  it('when anyone else reads the profile, then they see only its public part', async () => {
    const { users, username, owner } = await setup();
    await users.updateUser(owner, username, { city: 'Leeds' });

    const seen = await users.getUser(actor(uniqueUsername('reader'), 'NANNY'), username);

    expect(seen).toEqual({
      username,
      type: 'PARENT',
      firstName: 'Ada',
      city: 'Leeds',
      about: 'hello',
      status: 'UNVERIFIED',
      createdOn: '2025-06-01T12:00:00.000Z',
      updatedOn: '2025-06-01T12:01:00.000Z',
    });
  });

  it('when the user does not exist, then NOT_FOUND', async () => {
    const { users } = await setup();

    const error = await rejection(users.getUser(actor('reader'), uniqueUsername('ghost')));

    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('updateUserStatus', () => {
  it.each(['VERIFIED', 'DEACTIVATED', 'UNVERIFIED'])(
    'when an admin sets %s, then the status is saved',
    async (status) => {
      const { users, username, owner } = await setup();

      const updated = await users.updateUserStatus(admin(), username, { status });

      expect(updated).toMatchObject({ status, updatedOn: '2025-06-01T12:01:00.000Z' });
      expect((await users.getUser(owner, username)).status).toBe(status);
    },
  );

  it('when the owner (not an admin) sets a status, then FORBIDDEN', async () => {
    const { users, username } = await setup();

    const error = await rejection(
      users.updateUserStatus(actor(username, 'PARENT', 'NANNY'), username, { status: 'VERIFIED' }),
    );

    expect(error.code).toBe('FORBIDDEN');
  });

  it('when the status is unknown, then BAD_USER_INPUT on status', async () => {
    const { users, username } = await setup();

    const error = await rejection(users.updateUserStatus(admin(), username, { status: 'BANNED' }));

    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
  });

  it('when the user does not exist, then NOT_FOUND', async () => {
    const { users } = await setup();

    const error = await rejection(users.updateUserStatus(admin(), uniqueUsername('ghost'), { status: 'VERIFIED' }));

    expect(error.code).toBe('NOT_FOUND');
  });
});
