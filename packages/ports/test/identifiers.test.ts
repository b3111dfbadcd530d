import { AppError, canonicalUsername, checkId, checkUsername, isId, isUsername } from '../src';

const refusal = (attempt: () => unknown): AppError => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('ids', () => {
  it.each([
    ['a UUID', '6f1c0b7e-3d2a-4c55-9e0f-2b8f5a7d1c44'],
    ['a readable id', 'job_1'],
    ['64 characters', 'a'.repeat(64)],
  ])('when an id is %s, then it is accepted', (_label, value) => {
    expect(checkId('id', value)).toBe(value);
  });

  it.each([
    ['empty', ''],
    ['whitespace', '  '],
    ['a slash', 'a/b'],
    ['a dot-dot segment', '..'],
    ['a percent escape', 'a%2Fb'],
    ['over-long', 'a'.repeat(65)],
    ['non-ASCII', 'jöb'],
    ['a NUL', 'a\u0000'],
    ['not a string', 42],
  ])('when an id is %s, then it is BAD_USER_INPUT naming the field', (_label, value) => {
    expect(isId(value)).toBe(false);
    expect(refusal(() => checkId('jobId', value))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'jobId' });
  });
});

describe('usernames', () => {
  it('when a username is in any case, then its canonical form is lower case', () => {
    expect(canonicalUsername('Alice.Smith@Example')).toBe('alice.smith@example');
    expect(checkUsername('username', 'ALICE')).toBe('alice');
  });

  it('when a non-ASCII letter would fold onto an ASCII one, then it is left alone and refused', () => {
    expect(canonicalUsername('\u212Aate')).toBe('\u212Aate');
    expect(isUsername('\u212Aate')).toBe(false);
  });

  it.each([
    ['too short', 'al'],
    ['too long', 'a'.repeat(65)],
    ['with a slash', 'al/ice'],
    ['with a space', 'al ice'],
    ['empty', ''],
  ])('when a username is %s, then it is BAD_USER_INPUT naming the field', (_label, value) => {
    expect(refusal(() => checkUsername('customer', value))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'customer',
    });
  });
});
