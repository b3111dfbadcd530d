import express from 'express';
import { close, healthRouter, listen } from '@sitter/platform';
import { DEV_AUDIENCE, DEV_ISSUER, JWKS_PATH } from './constants';
import { loadOrCreateSigningKey } from './signing-key';

export interface DevIssuerOptions {
  dataDir: string;
  /** 0 picks any free port. */
  port: number;
  /** Defaults to 127.0.0.1: the dev issuer is for local use. */
  host?: string;
}

export interface RunningDevIssuer {
  jwksUri: string;
  issuer: string;
  audience: string;
  port: number;
  /** How many times the JWKS has been fetched since start, so tests can see what a gateway asks for. */
  jwksRequestCount(): number;
  stop(): Promise<void>;
}

/** Serves the dev signing key's public half as a JWKS, so the gateway verifies dev tokens the production way. */
export const startDevIssuer = async (options: DevIssuerOptions): Promise<RunningDevIssuer> => {
  const key = await loadOrCreateSigningKey(options.dataDir);
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter());
  let jwksRequests = 0;
  app.get(JWKS_PATH, (_req, res) => {
    jwksRequests += 1;
    res.set('cache-control', 'public, max-age=60').json({ keys: [key.publicJwk] });
  });
  app.use((req, res) => {
    res.status(404).json({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.path}` });
  });

  const host = options.host ?? '127.0.0.1';
  const { server, port } = await listen(app, options.port, host);
  return {
    jwksUri: `http://${urlHost(host)}:${port}${JWKS_PATH}`,
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    port,
    jwksRequestCount: () => jwksRequests,
    stop: () => close(server),
  };
};

/** A host the gateway can reach: wildcard binds are reached over loopback, IPv6 literals need brackets. */
const urlHost = (host: string): string => {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
};
