import { DeclineRequestSchema, readMessage } from '../src';

const valid = {
  version: 1,
  applicationId: 'application-1',
  jobId: 'job-1',
  reason: 'background check failed',
  source: 'acme-agency',
  requestedAt: '2031-05-01T09:30:00Z',
};

const problemsOf = (data: unknown): string[] => {
  const read = readMessage(DeclineRequestSchema, data);
  return read.ok ? [] : read.problems;
};

describe('DeclineRequestSchema (job-applications.declines)', () => {
  it('when every field is as the schema says, then the message is read as it is', () => {
    expect(readMessage(DeclineRequestSchema, valid)).toEqual({ ok: true, message: valid });
  });

  it('when a partner adds fields, then the message is still valid and keeps them', () => {
    expect(readMessage(DeclineRequestSchema, { ...valid, caseNumber: 'C-77' })).toEqual({
      ok: true,
      message: { ...valid, caseNumber: 'C-77' },
    });
  });

  it.each([
    ['an offset and fractions of a second', '2031-05-01T11:30:00.250+02:00'],
    ['the platform form', '2031-05-01T09:30:00.000Z'],
  ])('when requestedAt has %s, then it is valid', (_name, requestedAt) => {
    expect(problemsOf({ ...valid, requestedAt })).toEqual([]);
  });

  it.each([
    ['version 2', { version: 2 }, 'version: must be 1'],
    ['no applicationId', { applicationId: undefined }, 'applicationId: is required'],
    ['a numeric jobId', { jobId: 42 }, 'jobId: must be of type string, not integer'],
    ['an empty reason', { reason: '' }, 'reason: must have at least 1 character(s)'],
    ['a blank source', { source: '   ' }, 'source: must match \\S'],
    ['a reason over 1000 characters', { reason: 'x'.repeat(1001) }, 'reason: must have at most 1000 characters'],
    [
      'a date without a time zone',
      { requestedAt: '2031-05-01T09:30:00' },
      'requestedAt: must be an RFC 3339 date-time',
    ],
    ['a time without seconds', { requestedAt: '2031-05-01T09:30Z' }, 'requestedAt: must be an RFC 3339 date-time'],
    ['an impossible date', { requestedAt: '2031-02-30T09:30:00Z' }, 'requestedAt: must be an RFC 3339 date-time'],
  ])('when the message has %s, then it is invalid and the problem names the field', (_name, change, problem) => {
    const message = JSON.parse(JSON.stringify({ ...valid, ...change }));

    expect(problemsOf(message).join('; ')).toContain(problem);
  });

  it('when several fields are wrong, then every problem is named, in the order of the schema', () => {
    expect(problemsOf({ version: 1, jobId: '' })).toEqual([
      'applicationId: is required',
      'jobId: must have at least 1 character(s)',
      'jobId: must match \\S',
      'reason: is required',
      'source: is required',
      'requestedAt: is required',
    ]);
  });

  it.each([
    ['an array', [], 'array'],
    ['a string', 'decline application-1', 'string'],
    ['null', null, 'null'],
  ])('when the payload is %s, then the problem says it is not an object', (_name, payload, type) => {
    expect(problemsOf(payload)).toEqual([`(message): must be of type object, not ${type}`]);
  });
});
