import express from 'express';
import { AppIds } from '@sitter/contracts';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { createLogger } from '@sitter/platform';
import { createApiKeyGuard, createAuthenticator, createGatewayYoga, validatedAuthConfigSchema } from '../../src';
import { AUDIENCE, ISSUER, RSA_KID, signToken, startJwksFixture, type JwksFixture } from '../auth/jwks-fixture';

let fixture: JwksFixture;
let runtime: EmbeddedRuntime;
const received: Array<{ path: string; headers: Record<string, string | string[] | undefined> }> = [];

/** A real HTTP app in the user service's place: it records the internal headers and knows no user. */
const recordingUserService = () => {
  const app = express();
  app.use((req, res) => {
    received.push({ path: req.originalUrl, headers: req.headers });
    res.status(404).json({ code: 'NOT_FOUND', message: 'not found' });
  });
  return app;
};

beforeAll(async () => {
  fixture = await startJwksFixture();
  const logger = createLogger('gateway-test', 'silent');
  runtime = new EmbeddedRuntime({ logger });
  runtime.register(AppIds.user, recordingUserService());
  await runtime.start();
});

afterAll(async () => {
  await runtime.stop();
  await fixture.stop();
});

describe('the caller named to the services', () => {
  it("when the token's username has capitals, then the services are told its lower-case (canonical) form, and so is the username asked for", async () => {
    const auth = validatedAuthConfigSchema.parse({
      JWKS_URI: fixture.jwksUri,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
    const yoga = createGatewayYoga({
      invoker: runtime.invoker,
      authenticator: createAuthenticator(auth),
      apiKeys: createApiKeyGuard(auth),
      logger: createLogger('gateway-test', 'silent'),
    });
    const token = signToken({ roles: ['PARENT'] }, fixture.rsa.privateKey, { keyid: RSA_KID, subject: 'Mixed.Case' });

    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ getUser(username: "Someone") { username } }' }),
    });

    expect(await response.json()).toEqual({ data: { getUser: null } });
    expect(received.at(-1)).toMatchObject({
      path: '/users/someone',
      headers: { 'x-sitter-username': 'mixed.case', 'x-sitter-roles': 'PARENT' },
    });
  });
});
