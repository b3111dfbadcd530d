import { answerOf, codesOf, startGateway, type GatewayFixture } from './gateway-fixture';

const CREATE_USER =
  'mutation { createUser(user: {username: "eve", email: "eve@example.com", type: PARENT, firstName: "E", lastName: "V"}) { username } }';

describe('requests a browser can send cross-site', () => {
  let gateway: GatewayFixture;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(async () => {
    await gateway.stop();
  });
  beforeEach(() => {
    gateway.calls.length = 0;
  });

  const multipart = (query: string) => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query }));
    form.set('map', '{}');
    return form;
  };

  it.each([
    ['application/x-www-form-urlencoded', () => new URLSearchParams({ query: CREATE_USER })],
    ['multipart/form-data', () => multipart(CREATE_USER)],
    ['text/plain', () => JSON.stringify({ query: CREATE_USER })],
  ])('when a mutation comes as %s, then it is refused with FORBIDDEN before any service call', async (_, body) => {
    const token = gateway.token('eve', 'PARENT');

    const answer = await answerOf(
      await gateway.fetch('/graphql', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: body() }),
    );

    expect(answer.status).toBe(403);
    expect(codesOf(answer)).toEqual(['FORBIDDEN']);
    expect(gateway.calls).toEqual([]);
  });

  it('when a mutation comes as application/json, then it runs', async () => {
    const answer = await answerOf(
      await gateway.post({ query: CREATE_USER }, { authorization: `Bearer ${gateway.token('eve', 'PARENT')}` }),
    );

    expect(answer.errors).toBeUndefined();
    expect(gateway.calls.map((call) => `${call.appId} ${call.method}`)).toEqual(['user POST']);
  });

  it('when a GET query has no CSRF header, then it is refused; with x-graphql-yoga-csrf it is answered', async () => {
    const without = await answerOf(await gateway.fetch('/graphql?query=%7B__typename%7D'));
    const withHeader = await answerOf(
      await gateway.fetch('/graphql?query=%7B__typename%7D', { headers: { 'x-graphql-yoga-csrf': '1' } }),
    );

    expect(without.status).toBe(403);
    expect(codesOf(without)).toEqual(['FORBIDDEN']);
    expect(withHeader.data).toEqual({ __typename: 'Query' });
  });

  it('when a mutation comes by GET, even with the CSRF header, then it is refused', async () => {
    const answer = await answerOf(
      await gateway.fetch(`/graphql?query=${encodeURIComponent(CREATE_USER)}`, {
        headers: { 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${gateway.token('eve', 'PARENT')}` },
      }),
    );

    expect(answer.status).toBe(405);
    expect(gateway.calls).toEqual([]);
  });
});

describe('CORS', () => {
  const allowed = 'https://app.sitter.example';
  const other = 'https://app.example.org';
  let gateway: GatewayFixture;
  let closedGateway: GatewayFixture;
  beforeAll(async () => {
    gateway = await startGateway({ CORS_ORIGINS: `${allowed}, ${other}` });
    closedGateway = await startGateway();
  });
  afterAll(async () => {
    await gateway.stop();
    await closedGateway.stop();
  });

  const fromOrigin = (target: GatewayFixture, origin: string) =>
    target.fetch('/graphql', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });

  const preflight = (target: GatewayFixture, origin: string) =>
    target.fetch('/graphql', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });

  it('when no CORS_ORIGINS are set, then no origin gets a CORS header', async () => {
    const response = await fromOrigin(closedGateway, 'https://attacker.example');
    const check = await preflight(closedGateway, 'https://attacker.example');

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(check.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('when a foreign origin calls, then it is not reflected and no credentials are allowed', async () => {
    const response = await fromOrigin(gateway, 'https://attacker.example');
    const check = await preflight(gateway, 'https://attacker.example');

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(check.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([allowed, other])(
    'when the listed origin %s calls, then it is allowed, without credentials',
    async (origin) => {
      const response = await fromOrigin(gateway, origin);
      const check = await preflight(gateway, origin);

      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(check.status).toBe(204);
      expect(check.headers.get('access-control-allow-origin')).toBe(origin);
      expect(check.headers.get('access-control-allow-headers')).toContain('authorization');
    },
  );

  it('when CORS_ORIGINS holds a wildcard or a path, then the configuration is refused', async () => {
    await expect(startGateway({ CORS_ORIGINS: '*' })).rejects.toThrow(/not an origin/);
    await expect(startGateway({ CORS_ORIGINS: 'https://app.sitter.example/graphql' })).rejects.toThrow(/not an origin/);
  });
});

describe('schema discovery', () => {
  const INTROSPECTION = '{ __schema { queryType { name } } }';
  const TYPO = '{ listJobsByStatus(jobStatus: OPN) { cursor } getUsr(username: "x") { username } }';
  const ENUM_VARIABLE = 'query ($s: JobStatus!) { listJobsByStatus(jobStatus: $s) { cursor } }';
  const INPUT_VARIABLE = 'mutation ($job: CreateJobInput!) { createJob(job: $job) { id } }';

  it('when NODE_ENV is production, then introspection, suggestions and GraphiQL are off', async () => {
    const gateway = await startGateway({ NODE_ENV: 'production' });
    try {
      const token = `Bearer ${gateway.token()}`;
      const introspection = await answerOf(await gateway.post({ query: INTROSPECTION }));
      const typo = await answerOf(await gateway.post({ query: TYPO }, { authorization: token }));
      const badVariable = await answerOf(
        await gateway.post({ query: ENUM_VARIABLE, variables: { s: 'OPN' } }, { authorization: token }),
      );
      const badInput = await answerOf(
        await gateway.post({ query: INPUT_VARIABLE, variables: { job: { cty: 'Leeds' } } }, { authorization: token }),
      );
      const page = await gateway.fetch('/graphql', { headers: { accept: 'text/html' } });

      expect(introspection.data ?? null).toBeNull();
      expect(introspection.errors?.[0].message).toMatch(/introspection has been disabled/);
      const messages = [typo, badVariable, badInput]
        .flatMap((answer) => answer.errors ?? [])
        .map((error) => error.message);
      expect(messages.join(' ')).not.toMatch(/Did you mean|OPEN|getUser/);
      expect(messages.join(' ')).toMatch(/Field "cty" is not defined by type "CreateJobInput"/);
      expect(typo.errors).toHaveLength(2);
      expect(codesOf(badVariable)).toEqual(['BAD_USER_INPUT']);
      expect(await page.text()).not.toMatch(/graphiql/i);
    } finally {
      await gateway.stop();
    }
  });

  it('when NODE_ENV is production but GRAPHQL_INTROSPECTION and GRAPHIQL are true, then they are on', async () => {
    const gateway = await startGateway({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: 'true' });
    try {
      const introspection = await answerOf(await gateway.post({ query: INTROSPECTION }));
      const typo = await answerOf(await gateway.post({ query: TYPO }, { authorization: `Bearer ${gateway.token()}` }));
      const page = await gateway.fetch('/graphql', { headers: { accept: 'text/html' } });

      expect(introspection.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      expect(typo.errors?.map((error) => error.message).join(' ')).toMatch(
        /Did you mean the enum value "OPEN"\?.*Did you mean "getUser" or "getJob"\?/,
      );
      expect(await page.text()).toMatch(/graphiql/i);
    } finally {
      await gateway.stop();
    }
  });

  it('when NODE_ENV is not production, then introspection and GraphiQL are on by default', async () => {
    const gateway = await startGateway({ NODE_ENV: 'development' });
    try {
      const introspection = await answerOf(await gateway.post({ query: INTROSPECTION }));
      const page = await gateway.fetch('/graphql', { headers: { accept: 'text/html' } });

      expect(introspection.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      expect(await page.text()).toMatch(/graphiql/i);
    } finally {
      await gateway.stop();
    }
  });

  it('when GraphiQL is on, then its introspection query passes the operation limits of an anonymous caller', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const gateway = await startGateway({ NODE_ENV: 'development' });
    try {
      const query = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true });

      const answer = await answerOf(await gateway.post({ query }));

      expect(answer.errors).toBeUndefined();
      expect(answer.data).toHaveProperty('__schema.queryType.name', 'Query');
    } finally {
      await gateway.stop();
    }
  });
});
