/** The issuer name and audience every dev token carries; local mode configures the gateway with the same values. */
export const DEV_ISSUER = 'sitter-dev-issuer';
export const DEV_AUDIENCE = 'sitter';
export const DEV_ISSUER_DEFAULT_PORT = 4001;
export const JWKS_PATH = '/.well-known/jwks.json';
