import type { RequestListener } from 'node:http';
import { AppIds } from '@sitter/contracts';
import { EmbeddedInvoker } from '@sitter/embedded-runtime';
import type { InvokeRequest, Invoker } from '@sitter/ports';
import { createLogger } from '@sitter/platform';
import {
  createApiKeyGuard,
  createAuthenticator,
  createGatewayApp,
  protectionConfigSchema,
  gatewayProtection,
  validatedAuthConfigSchema,
  type GatewayDeps,
  type RateLimitStore,
} from '../../src';
import { AUDIENCE, ISSUER, RSA_KID, signToken, startJwksFixture, type JwksFixture } from '../auth/jwks-fixture';

export const API_KEY = 'protection-test-key';

/** Answers every call with a user or a page of jobs, as the real services would. */
const fakeServices: RequestListener = (req, res) => {
  const path = req.url ?? '/';
  const body = path.startsWith('/users')
    ? { username: 'eve', email: 'eve@example.com', type: 'PARENT' }
    : { items: [{ id: 'job-1', city: 'Leeds', cost: '10.00' }], cursor: null };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

export interface GatewayFixture {
  /** Every service call the gateway made, in order. */
  calls: Array<{ appId: string } & InvokeRequest>;
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  app: ReturnType<typeof createGatewayApp>['app'];
  yoga: ReturnType<typeof createGatewayApp>['yoga'];
  authenticator: ReturnType<typeof createAuthenticator>;
  /** Another gateway replica: the same services and keys, `overrides` in its deps (a feed, its liveAdmission). */
  replica(overrides: Partial<GatewayDeps>): ReturnType<typeof createGatewayApp>;
  token(sub?: string, ...roles: string[]): string;
  stop(): Promise<void>;
}

/**
 * The gateway in this process with a real JWKS, real API-key guard and an embedded invoker whose user
 * and job apps answer every GET; `env` sets the gateway's environment variables (limits, NODE_ENV, ...).
 */
export const startGateway = async (
  env: Record<string, string> = {},
  /** Where the API-key limits are counted; process memory unless given. */
  rateLimits?: RateLimitStore,
  /** More of the gateway's deps: its live events, what its subscriptions count against. */
  overrides: Partial<GatewayDeps> = {},
): Promise<GatewayFixture> => {
  const protection = gatewayProtection(protectionConfigSchema.parse(env));
  const jwks: JwksFixture = await startJwksFixture();
  const auth = validatedAuthConfigSchema.parse({
    JWKS_URI: jwks.jwksUri,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    API_KEYS: API_KEY,
    ...env,
  });
  const embedded = new EmbeddedInvoker();
  embedded.register(AppIds.user, fakeServices);
  embedded.register(AppIds.job, fakeServices);
  const calls: GatewayFixture['calls'] = [];
  const invoker: Invoker = {
    invoke: (appId, request) => {
      calls.push({ appId, ...request });
      return embedded.invoke(appId, request);
    },
  };
  const authenticator = createAuthenticator(auth);
  const deps: GatewayDeps = {
    invoker,
    authenticator,
    apiKeys: createApiKeyGuard(auth, rateLimits),
    logger: createLogger('gateway', 'silent'),
    protection,
  };
  const { app, yoga } = createGatewayApp({ ...deps, ...overrides });
  const fetch = (path: string, init: RequestInit = {}) => Promise.resolve(yoga.fetch(`http://localhost${path}`, init));
  return {
    calls,
    app,
    yoga,
    authenticator,
    replica: (more) => createGatewayApp({ ...deps, ...more }),
    fetch,
    post: (body, headers = {}) =>
      fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    token: (sub = 'alice', ...roles) => signToken({ sub, roles }, jwks.rsa.privateKey, { keyid: RSA_KID }),
    stop: () => jwks.stop(),
  };
};

export interface GraphQLAnswer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export const answerOf = async (response: Response): Promise<GraphQLAnswer> => ({
  status: response.status,
  ...((await response.json()) as Omit<GraphQLAnswer, 'status'>),
});

export const codesOf = (answer: GraphQLAnswer) => (answer.errors ?? []).map((error) => error.extensions?.code);
