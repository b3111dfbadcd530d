import { request, type Server } from 'node:http';
import { close, listen } from '@sitter/platform';
import { API_KEY, answerOf, codesOf, startGateway, type GatewayFixture, type GraphQLAnswer } from './gateway-fixture';
import { aliases } from './payloads';

const PAGE_OF = (limit: number) => `listJobsByStatus(jobStatus: OPEN, limit: ${limit}) { items { id } }`;

describe('API key allowance charged by operation weight', () => {
  let gateway: GatewayFixture;
  beforeAll(async () => {
    gateway = await startGateway({ API_KEY_RATE_LIMIT: '30' });
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('when an API key runs five aliased pages of 100 jobs, then each run counts as 25 requests', async () => {
    const heavy = aliases(5, PAGE_OF(100));
    const first = await answerOf(await gateway.post({ query: heavy }, { 'x-api-key': API_KEY }));
    const callsAfterFirst = gateway.calls.length;

    const secondResponse = await gateway.post({ query: heavy }, { 'x-api-key': API_KEY });
    const second = await answerOf(secondResponse);
    const light = await answerOf(await gateway.post({ query: `{ ${PAGE_OF(5)} }` }, { 'x-api-key': API_KEY }));

    expect(first.errors).toBeUndefined();
    expect(callsAfterFirst).toBe(5);
    expect(second.status).toBe(429);
    expect(codesOf(second)).toEqual(['RATE_LIMITED']);
    expect(second.errors?.[0].message).toMatch(/counts as 25/);
    expect(Number(secondResponse.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(light.errors).toBeUndefined();
    expect(gateway.calls).toHaveLength(6);
  });

  it('when the page size comes in a variable, then it is weighed the same', async () => {
    const limited = await startGateway({ API_KEY_RATE_LIMIT: '4' });
    try {
      const query = 'query ($n: Int) { listJobsByStatus(jobStatus: OPEN, limit: $n) { items { id } } }';

      const first = await answerOf(await limited.post({ query, variables: { n: 80 } }, { 'x-api-key': API_KEY }));
      const second = await answerOf(await limited.post({ query, variables: { n: 1 } }, { 'x-api-key': API_KEY }));

      expect(first.errors).toBeUndefined();
      expect(codesOf(second)).toEqual(['RATE_LIMITED']);
    } finally {
      await limited.stop();
    }
  });
});

describe('wrong API keys', () => {
  let gateway: GatewayFixture;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    gateway = await startGateway({ API_KEY_FAILURE_LIMIT: '3' });
    ({ server, port } = await listen(gateway.app, 0, '127.0.0.1'));
  });
  afterAll(async () => {
    await close(server);
    await gateway.stop();
  });

  /** Lists jobs over HTTP with an API key, from the given loopback address. */
  const listFrom = (localAddress: string, apiKey: string) =>
    new Promise<GraphQLAnswer & { retryAfter?: string }>((resolve, reject) => {
      const body = JSON.stringify({ query: `{ ${PAGE_OF(1)} }` });
      const req = request(
        {
          host: '127.0.0.1',
          port,
          localAddress,
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              retryAfter: res.headers['retry-after'],
              ...(JSON.parse(text) as Omit<GraphQLAnswer, 'status'>),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('when one address sends more unknown keys than API_KEY_FAILURE_LIMIT, then it is throttled, right key included, and others are not', async () => {
    const guesses = [];
    for (let n = 0; n < 3; n += 1) guesses.push(await listFrom('127.0.0.2', `guess-${n}`));

    const nextGuess = await listFrom('127.0.0.2', 'guess-3');
    const rightKeySameAddress = await listFrom('127.0.0.2', API_KEY);
    const rightKeyOtherAddress = await listFrom('127.0.0.3', API_KEY);

    expect(guesses.map((answer) => [answer.status, ...codesOf(answer)])).toEqual([
      [401, 'UNAUTHENTICATED'],
      [401, 'UNAUTHENTICATED'],
      [401, 'UNAUTHENTICATED'],
    ]);
    expect([nextGuess.status, ...codesOf(nextGuess)]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(nextGuess.retryAfter)).toBeGreaterThan(0);
    expect(nextGuess.errors?.[0].extensions?.retryAfterSeconds).toBe(Number(nextGuess.retryAfter));
    expect(codesOf(rightKeySameAddress)).toEqual(['RATE_LIMITED']);
    expect(rightKeyOtherAddress.errors).toBeUndefined();
  });
});
