import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type JsonWebKey } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jwkThumbprint } from './thumbprint';

export type DevPublicJwk = JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' };

export interface DevSigningKey {
  privateKeyPem: string;
  kid: string;
  publicJwk: DevPublicJwk;
}

const generateRsaKeyPair = promisify(generateKeyPair);

export const signingKeyPath = (dataDir: string): string => join(dataDir, 'dev-issuer', 'signing-key.pem');

/**
 * The dev issuer's RSA key, created on first use and kept under the data directory so tokens
 * stay valid across restarts. Several processes may start at once: whoever links its file into
 * place first wins, and everyone else reads the winner's key.
 */
export const loadOrCreateSigningKey = async (dataDir: string): Promise<DevSigningKey> => {
  const path = signingKeyPath(dataDir);
  const existing = await readPemIfPresent(path);
  if (existing !== undefined) return describeKey(existing);

  await mkdir(join(dataDir, 'dev-issuer'), { recursive: true, mode: 0o700 });
  const created = await createKeyPem();
  const won = await createExclusively(path, created);
  if (won) return describeKey(created);
  const winner = await readPemIfPresent(path);
  if (winner === undefined) throw new Error(`dev signing key at ${path} vanished while it was being created`);
  return describeKey(winner);
};

const readPemIfPresent = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

const createKeyPem = async (): Promise<string> => {
  const { privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
};

/**
 * Writes the whole file under a private temporary name, then hard-links it to the final name.
 * link() fails with EEXIST when the name is taken, so the create is exclusive, and a reader
 * never sees a half-written key.
 */
const createExclusively = async (path: string, pem: string): Promise<boolean> => {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, pem, { flag: 'wx', mode: 0o600 });
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
};

const describeKey = (privateKeyPem: string): DevSigningKey => {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('the dev signing key must be an RSA key');
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = jwkThumbprint(jwk);
  return { privateKeyPem, kid, publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' } };
};
