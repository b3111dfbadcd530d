import { parse } from 'graphql';
import { requestWeight } from '../../src/protection';

const weigh = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  requestWeight(parse(query), operationName, variables);

describe('requestWeight', () => {
  it.each([
    ['one list without a limit (the default page of 20)', 1, '{ listJobsByStatus(jobStatus: OPEN) { cursor } }'],
    ['one list of 5', 1, '{ listJobsByStatus(jobStatus: OPEN, limit: 5) { cursor } }'],
    ['one list of 21', 2, '{ listJobsByStatus(jobStatus: OPEN, limit: 21) { cursor } }'],
    ['one list of 100', 5, '{ listJobsByStatus(jobStatus: OPEN, limit: 100) { cursor } }'],
    ['two root fields', 2, '{ getJob(id: "1") { id } getUser(username: "a") { username } }'],
    ['only __typename', 1, '{ __typename }'],
    [
      'nested fields, which make no call of their own here',
      1,
      '{ listJobsByStatus(jobStatus: OPEN) { items { id city } cursor } }',
    ],
    [
      'ten aliases of a list of 100',
      50,
      `{ ${Array.from({ length: 10 }, (_, i) => `a${i}: listJobsByStatus(jobStatus: OPEN, limit: 100) { cursor }`).join(' ')} }`,
    ],
  ])('when an operation has %s, then it weighs %i', (_, weight, query) => {
    expect(weigh(query)).toBe(weight);
  });

  it('when the limit is a variable, then its value counts', () => {
    const query = 'query ($n: Int) { listJobsByStatus(jobStatus: OPEN, limit: $n) { cursor } }';

    expect([weigh(query, { n: 100 }), weigh(query, { n: 3 }), weigh(query, {})]).toEqual([5, 1, 1]);
  });

  it('when root fields come through fragments, then they count as if written out', () => {
    const query = `
      query { ...Lists ... on Query { c: getJob(id: "1") { id } } }
      fragment Lists on Query { a: listJobsByStatus(jobStatus: OPEN, limit: 40) { cursor } ...More }
      fragment More on Query { b: listJobsByStatus(jobStatus: CLOSED, limit: 60) { cursor } }`;

    expect(weigh(query)).toBe(2 + 3 + 1);
  });

  it('when a document holds several operations, then only the one named counts', () => {
    const query = `
      query Small { getJob(id: "1") { id } }
      query Big { listJobsByStatus(jobStatus: OPEN, limit: 100) { cursor } }`;

    expect([weigh(query, {}, 'Small'), weigh(query, {}, 'Big')]).toEqual([1, 5]);
  });
});
