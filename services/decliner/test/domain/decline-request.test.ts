import { readDeclineRequest, validateAgainstSchema, validateDeclineRequest } from '../../src/domain';

const valid = {
  version: 1,
  applicationId: 'application-1',
  jobId: 'job-1',
  reason: 'background check failed',
  source: 'acme-agency',
  requestedAt: '2031-05-01T09:30:00Z',
};

describe('validateDeclineRequest (the JSON Schema of job-applications.declines)', () => {
  it('when every field is as the schema says, then the request is read as it is', () => {
    expect(validateDeclineRequest(valid)).toEqual({ ok: true, request: valid });
  });

  it('when a partner adds fields, then the request is still valid', () => {
    expect(validateDeclineRequest({ ...valid, caseNumber: 'C-77' })).toMatchObject({ ok: true });
  });

  it.each([
    ['an offset and fractions of a second', '2031-05-01T11:30:00.250+02:00'],
    ['the platform form', '2031-05-01T09:30:00.000Z'],
  ])('when requestedAt has %s, then it is valid', (_name, requestedAt) => {
    expect(validateDeclineRequest({ ...valid, requestedAt })).toMatchObject({ ok: true });
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
    ['an impossible date', { requestedAt: '2031-02-30T09:30:00Z' }, 'requestedAt: must be an RFC 3339 date-time'],
  ])('when the message has %s, then it is invalid and the problem names the field', (_name, change, problem) => {
    const message = JSON.parse(JSON.stringify({ ...valid, ...change }));

    const result = validateDeclineRequest(message);

    expect(result).toMatchObject({ ok: false, kind: 'invalid' });
    expect(result.ok ? '' : result.problem).toContain(problem);
  });

  it('when several fields are wrong, then every problem is named', () => {
    const result = validateDeclineRequest({ version: 1, jobId: '' });

    expect(result.ok ? [] : result.problem.split('; ')).toEqual([
      'applicationId: is required',
      'reason: is required',
      'source: is required',
      'requestedAt: is required',
      'jobId: must have at least 1 character(s)',
      'jobId: must match \\S',
    ]);
  });

  it.each([
    ['an array', []],
    ['a string', 'decline application-1'],
    ['null', null],
  ])('when the payload is %s, then it is invalid', (_name, payload) => {
    expect(validateDeclineRequest(payload)).toMatchObject({ ok: false, kind: 'invalid' });
  });
});

describe('readDeclineRequest (raw Kafka values)', () => {
  it('when the value is JSON bytes of a valid request, then it is read', () => {
    expect(readDeclineRequest(Buffer.from(JSON.stringify(valid)))).toEqual({ ok: true, request: valid });
  });

  it('when the value is not JSON, then it is malformed', () => {
    expect(readDeclineRequest(Buffer.from('{"version":1,'))).toMatchObject({ ok: false, kind: 'malformed' });
  });

  it('when the message has no value, then it is malformed', () => {
    expect(readDeclineRequest(null)).toEqual({ ok: false, kind: 'malformed', problem: 'the message has no value' });
  });

  it('when the value is JSON that breaks the schema, then it is invalid', () => {
    expect(readDeclineRequest('{"version":1}')).toMatchObject({ ok: false, kind: 'invalid' });
  });
});

describe('validateAgainstSchema', () => {
  it('when a schema uses a keyword it does not check, then it refuses the schema instead of ignoring it', () => {
    expect(() => validateAgainstSchema({ type: 'string', enum: ['a'] }, 'a')).toThrow(
      'unsupported JSON Schema keyword "enum"',
    );
  });

  it('when additional properties are forbidden, then an extra one is named', () => {
    expect(validateAgainstSchema({ type: 'object', additionalProperties: false }, { extra: 1 })).toEqual([
      'extra: is not allowed',
    ]);
  });
});
