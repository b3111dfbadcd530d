import { readDeclineRequest, validateDeclineRequest } from '../../src/domain';
import { declineOf } from '../support/kafka';

// What the schema accepts and refuses is tested with it, in @sitter/contracts; here: how the decliner reads a message.
const valid = declineOf('job-1', 'application-1');

describe('validateDeclineRequest (job-applications.declines, checked against its schema in @sitter/contracts)', () => {
  it('when every field is as the schema says, then the request is read as it is', () => {
    expect(validateDeclineRequest(valid)).toEqual({ ok: true, request: valid });
  });

  it('when the message breaks the schema, then it is invalid and every problem is named, joined', () => {
    expect(validateDeclineRequest({ ...valid, version: 2, jobId: '' })).toEqual({
      ok: false,
      kind: 'invalid',
      problem: 'version: must be 1; jobId: must have at least 1 character(s); jobId: must match \\S',
    });
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
