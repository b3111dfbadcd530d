import { z } from 'zod';
import { AppError, parseInput } from '../src';

const schema = z.object({ name: z.string().min(1, 'must not be empty'), after: z.string().optional() }).strict();

const problemOf = (input: unknown, fieldNames?: Record<string, string>): { field?: string; message: string } => {
  try {
    parseInput(schema, input, fieldNames);
  } catch (error) {
    if (error instanceof AppError) return { field: error.field, message: error.message };
  }
  return { message: 'no problem' };
};

describe('parseInput', () => {
  it('when the input conforms, then it is returned as parsed', () => {
    expect(parseInput(schema, { name: 'Ada' })).toEqual({ name: 'Ada' });
  });

  it('when a field is wrong, then BAD_USER_INPUT names it before the problem', () => {
    expect(problemOf({ name: '' })).toEqual({ field: 'name', message: 'name: must not be empty' });
  });

  it('when the API calls a field otherwise, then the problem uses the API name', () => {
    expect(problemOf({ name: 'Ada', after: 7 }, { after: 'afterCursor' })).toMatchObject({ field: 'afterCursor' });
  });

  it('when the input has an unknown field, then the problem says it cannot be set', () => {
    expect(problemOf({ name: 'Ada', role: 'ADMIN' })).toEqual({
      field: 'role',
      message: 'role is not a field that can be set here',
    });
  });

  it('when the input is not an object, then the problem says so', () => {
    expect(problemOf('Ada')).toEqual({ field: 'input', message: 'input must be an object' });
  });
});
