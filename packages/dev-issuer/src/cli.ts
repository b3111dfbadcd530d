import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';
import { loadOrCreateSigningKey } from './signing-key';
import { DEFAULT_DEV_TOKEN_LIFETIME, signDevToken } from './token';

const ROLES = ['PARENT', 'NANNY', 'ADMIN'] as const;

const USAGE = `usage: npm run -s token -- --sub <username> --role <PARENT|NANNY|ADMIN> [--role ...] [--expires 8h]

Signs a dev token with the local dev issuer's key (kept under $DATA_DIR/dev-issuer, default ./.data).
  --sub <username>   the token subject (the Sitter username)
  --role <role>      PARENT, NANNY or ADMIN; repeat for several roles
  --expires <span>   lifetime such as 30m, 8h, 7d, or seconds (default ${DEFAULT_DEV_TOKEN_LIFETIME})
The token is the last line of stdout.`;

class UsageError extends Error {}

interface CliArgs {
  sub: string;
  roles: string[];
  expiresIn: string | number;
}

const parseCliArgs = (argv: string[]): CliArgs | 'help' => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        sub: { type: 'string' },
        role: { type: 'string', multiple: true },
        expires: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const sub = values.sub?.trim();
  if (!sub) throw new UsageError('--sub is required');
  const roles = (values.role ?? []).map((role) => role.trim().toUpperCase());
  if (roles.length === 0) throw new UsageError('at least one --role is required');
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) throw new UsageError(`unknown role(s): ${unknown.join(', ')}`);
  return { sub, roles: [...new Set(roles)], expiresIn: parseLifetime(values.expires) };
};

/** A bare number means seconds; jsonwebtoken would otherwise read a numeric string as milliseconds. */
const parseLifetime = (raw: string | undefined): string | number => {
  if (raw === undefined) return DEFAULT_DEV_TOKEN_LIFETIME;
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!/^\d+(\.\d+)?\s*[a-z]+$/i.test(trimmed)) throw new UsageError(`--expires "${raw}" is not a timespan like 8h`);
  return trimmed;
};

const main = async (): Promise<number> => {
  let args: CliArgs | 'help';
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }

  const dataDir = resolve(process.env.DATA_DIR || './.data');
  const key = await loadOrCreateSigningKey(dataDir);
  let token: string;
  try {
    token = signDevToken(key, { sub: args.sub, roles: args.roles, expiresIn: args.expiresIn });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { exp } = jwt.decode(token) as { exp: number };
  console.error(
    `dev token for ${args.sub} (roles ${args.roles.join(', ')}), expires ${new Date(exp * 1000).toISOString()}, key ${key.kid}`,
  );
  console.log(token);
  return 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`could not issue a dev token: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
