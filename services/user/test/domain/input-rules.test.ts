import { EmbeddedStateStore } from '@sitter/embedded-runtime';
import { ManualClock, userUseCasesOn, actor, admin, rejection, signUpInput, uniqueUsername } from '../support/fixtures';

const setup = () => {
  const store = new EmbeddedStateStore();
  return { store, users: userUseCasesOn(store, new ManualClock()) };
};

/** Text no profile field may hold, each with the reason it is refused. */
const HOSTILE_TEXT: Array<[string, string]> = [
  ['a NUL', 'Ada\u0000'],
  ['an ANSI escape sequence', '\u001b[31mAda'],
  ['a C1 control', 'Ada\u0085'],
  ['a right-to-left override', 'Ada\u202Egpj.exe'],
  ['a bidi isolate', '\u2066Ada\u2069'],
  ['only zero-width characters', '\u200B\u200C\u200D'],
  ['only a Hangul filler', '\u3164'],
  ['a lone surrogate', 'Ada\uD800'],
];

describe('usernames are case-insensitive', () => {
  it('when a username is signed up in mixed case, then it is stored and keyed in lower case', async () => {
    const { store, users } = setup();
    const username = uniqueUsername('alice');
    const mixed = `Al${username.slice(2).toUpperCase()}`;

    const user = await users.createUser(actor(username), signUpInput(mixed, { email: `${username}@example.com` }));

    expect(user.username).toBe(username);
    expect((await store.get(`user:${username}`))?.value).toEqual(user);
    expect(await store.get(`user:${mixed}`)).toBeUndefined();
  });

  it('when a username differs from a taken one only in case, then the sign-up is CONFLICT', async () => {
    const { users } = setup();
    const username = uniqueUsername('alice');
    await users.createUser(actor(username), signUpInput(username));

    const error = await rejection(
      users.createUser(actor(username), signUpInput(username.toUpperCase(), { email: `two-${username}@example.com` })),
    );

    expect(error).toMatchObject({ code: 'CONFLICT', message: `username '${username}' is already taken` });
  });

  it('when a non-ASCII letter would fold onto an ASCII one, then the username is refused, not merged', async () => {
    const { users } = setup();

    const error = await rejection(users.createUser(actor('\u212Aate'), signUpInput('\u212Aate')));

    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username' });
  });
});

describe('text fields follow the shared text rules', () => {
  const fields = ['firstName', 'lastName', 'address', 'city', 'about'];
  const cases = fields.flatMap((field) => HOSTILE_TEXT.map(([label, value]) => [field, label, value] as const));

  it.each(cases)(
    'when %s holds %s, then BAD_USER_INPUT names it and nothing is stored',
    async (field, _label, value) => {
      const { store, users } = setup();
      const username = uniqueUsername();

      const error = await rejection(users.createUser(actor(username), signUpInput(username, { [field]: value })));

      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await store.get(`user:${username}`)).toBeUndefined();
    },
  );

  it('when a name holds a line break, then it is refused; in about, line breaks are kept', async () => {
    const { users } = setup();
    const username = uniqueUsername();

    const inName = await rejection(users.createUser(actor(username), signUpInput(username, { firstName: 'Ada\nB' })));
    const user = await users.createUser(actor(username), signUpInput(username, { about: 'Line one\nLine two\tend' }));

    expect(inName).toMatchObject({ code: 'BAD_USER_INPUT', field: 'firstName' });
    expect(user.about).toBe('Line one\nLine two\tend');
  });

  it('when text is in decomposed form, then it is stored NFC', async () => {
    const { users } = setup();
    const username = uniqueUsername();

    const user = await users.createUser(
      actor(username),
      signUpInput(username, { firstName: 'Zoe\u0301', city: 'Malmo\u0308' }),
    );

    expect(user).toMatchObject({ firstName: 'Zo\u00e9', city: 'Malm\u00f6' });
  });

  it('when a name joins letters with a zero-width joiner, then it is kept', async () => {
    const { users } = setup();
    const username = uniqueUsername();

    const user = await users.createUser(actor(username), signUpInput(username, { firstName: 'Mi\u200Dra' }));

    expect(user.firstName).toBe('Mi\u200Dra');
  });

  it('when profilePicUrl holds a line break the URL parser would drop, then BAD_USER_INPUT', async () => {
    const { users } = setup();
    const username = uniqueUsername();

    const error = await rejection(
      users.createUser(actor(username), signUpInput(username, { profilePicUrl: 'https://exa\nmple.com/a.png' })),
    );

    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'profilePicUrl' });
  });

  it('when an edit holds a control character, then BAD_USER_INPUT and the profile is unchanged', async () => {
    const { users } = setup();
    const username = uniqueUsername();
    const created = await users.createUser(actor(username), signUpInput(username));

    const error = await rejection(users.updateUser(actor(username), username, { lastName: 'Byron\u001b[2J' }));

    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lastName' });
    expect(await users.getUser(actor(username), username)).toEqual(created);
  });
});

describe("a profile's type matches the caller's role", () => {
  it.each([
    ['PARENT', 'NANNY'],
    ['NANNY', 'PARENT'],
    ['ADMIN', 'PARENT'],
    ['ADMIN', 'NANNY'],
  ] as const)(
    "when the token's role is %s and the profile a %s, then FORBIDDEN and nothing is stored",
    async (role, type) => {
      const { store, users } = setup();
      const username = uniqueUsername();

      const error = await rejection(users.createUser(actor(username, role), signUpInput(username, { type })));

      expect(error.code).toBe('FORBIDDEN');
      expect(await store.get(`user:${username}`)).toBeUndefined();
    },
  );

  it('when a token holds both roles, then it may sign up either type', async () => {
    const { users } = setup();
    const username = uniqueUsername();

    const user = await users.createUser(actor(username, 'PARENT', 'NANNY'), signUpInput(username, { type: 'NANNY' }));

    expect(user.type).toBe('NANNY');
  });
});

describe('a deactivated account', () => {
  const deactivated = async () => {
    const { users } = setup();
    const username = uniqueUsername();
    await users.createUser(actor(username), signUpInput(username));
    const before = await users.updateUserStatus(admin(), username, { status: 'DEACTIVATED' });
    return { users, username, before };
  };

  it('when its owner edits the profile, then FORBIDDEN and the profile is unchanged', async () => {
    const { users, username, before } = await deactivated();

    const error = await rejection(users.updateUser(actor(username), username, { about: 'still here' }));

    expect(error.code).toBe('FORBIDDEN');
    expect(await users.getUser(actor(username), username)).toEqual(before);
  });

  it('when an admin edits the profile, then it changes', async () => {
    const { users, username } = await deactivated();

    const updated = await users.updateUser(admin(), username, { about: 'closed by support' });

    expect(updated.about).toBe('closed by support');
  });
});
