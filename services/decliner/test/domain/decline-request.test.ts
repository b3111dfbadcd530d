import { readDeclineRequest, validateDeclineRequest } from '../../src/domain';

const valid = {
  version: 1,
  applicationId: 'application-1',
  jobId: 'job-1',
  reason: 'background check failed',
  source: 'acme-agency',
  requestedAt: '2031-05-01T09:30:00Z',
};

describe('validateDeclineRequest (the schema of job-applications.declines, from @sitter/contracts)', () => {
  it('when every field is as the schema says, then the request is read as it is', () => {
    expect(validateDeclineRequest(valid)).toEqual({ ok: true, request: valid });
  });

  it('when a partner adds fields, then the request is still valid', () => {
    expect(validateDeclineRequest({ ...valid, caseNumber: 'C-77' })).toMatchObject({ ok: true });
  });

  it('when the message breaks the schema, then it is invalid and every problem is named, joined', () => {
    expect(validateDeclineRequest({ ...valid, version: 2, jobId: '' })).toEqual({
      ok: false,
      kind: 'invalid',
      problem: 'version: must be 1; jobId: must have at least 1 character(s); jobId: must match \\S',
    });
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
