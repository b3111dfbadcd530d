import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isRunning, npmStarts, waitUntil, type NpmStart } from '../support/npm-start';

/**
 * The fault suite on `npm start` (the embedded runtime), from outside, as a person would inject the faults: every
 * case prints what it injected and what it checked.
 */
const report = (injected: string, checked: string) => console.log(`fault: ${injected}\n  checked: ${checked}`);

const CREATE_USER = (username: string, email = `${username}@example.com`) =>
  `mutation { createUser(user: {username: "${username}", email: "${email}", type: PARENT, firstName: "Fault", lastName: "Load"}) { username } }`;

interface Load {
  acknowledged: string[];
  /** Answers that were neither an acknowledgement nor a refused connection: a request cut in flight. */
  cut: string[];
  stop(): Promise<void>;
}

/** `writers` loops creating users one after another until stopped; records what the server acknowledged. */
const userLoad = (system: NpmStart, prefix: string, writers = 8): Load => {
  const acknowledged: string[] = [];
  const cut: string[] = [];
  let running = true;
  const loop = async (writer: number) => {
    for (let n = 0; running; n += 1) {
      const username = `${prefix}${writer}x${n}`;
      try {
        const answer = await system.gql<{ createUser: { username: string } }>(
          CREATE_USER(username),
          system.tokenFor(username, 'PARENT'),
        );
        if (answer.data?.createUser?.username === username) acknowledged.push(username);
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code;
        // Refused: the server no longer listens, so nothing was sent. Anything else cut a request in flight.
        if (code !== 'ECONNREFUSED') cut.push(`${username}: ${code ?? String(error)}`);
        return;
      }
    }
  };
  const loops = Array.from({ length: writers }, (_, writer) => loop(writer));
  return {
    acknowledged,
    cut,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
};

/** Every acknowledged user is there, and its email is taken (the index written in the same transaction). */
const checkUsers = async (system: NpmStart, usernames: readonly string[]) => {
  const missing: string[] = [];
  const emailFree: string[] = [];
  for (const username of usernames) {
    const found = await system.gql<{ getUser: { username: string } | null }>(
      `{ getUser(username: "${username}") { username } }`,
      system.tokenFor(username, 'PARENT'),
    );
    if (found.data?.getUser?.username !== username) missing.push(username);
    const other = `${username}again`;
    const again = await system.gql(CREATE_USER(other, `${username}@example.com`), system.tokenFor(other, 'PARENT'));
    if (again.errors?.[0]?.extensions?.code !== 'CONFLICT') emailFree.push(username);
  }
  return { missing, emailFree };
};

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('faults on npm start (embedded runtime)', () => {
  let dataDir: string;
  const npm = npmStarts();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sitter-faults-'));
  });

  afterAll(async () => {
    npm.killAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = () => npm.start(dataDir);

  it('when the server is killed -9 under load, then after a restart every acknowledged write is there with its index', async () => {
    // Arrange
    const system = await start();
    const load = userLoad(system, 'kill');
    await waitUntil(() => load.acknowledged.length >= 40, 60_000, '40 writes are acknowledged');

    // Act
    process.kill(system.serverPid, 'SIGKILL');
    await load.stop();
    await system.exited;
    const restarted = await start();
    const checked = await checkUsers(restarted, load.acknowledged);
    process.kill(restarted.npmPid, 'SIGTERM');
    await restarted.exited;

    // Assert
    report(
      `kill -9 of the server (pid ${system.serverPid}) after ${load.acknowledged.length} acknowledged sign-ups from 8 writers`,
      `after a restart, ${load.acknowledged.length - checked.missing.length} of ${load.acknowledged.length} users found, ` +
        `${load.acknowledged.length - checked.emailFree.length} of them with their email index`,
    );
    expect(checked).toEqual({ missing: [], emailFree: [] });
  }, 180_000);

  it('when the server gets SIGTERM under load, then no request in flight is cut and every acknowledged write is kept', async () => {
    // Arrange
    const system = await start();
    const load = userLoad(system, 'term');
    await waitUntil(() => load.acknowledged.length >= 40, 60_000, '40 writes are acknowledged');

    // Act
    process.kill(system.npmPid, 'SIGTERM');
    await load.stop();
    await system.exited;
    await waitUntil(() => !isRunning(system.serverPid), 15_000, 'the server exits');
    const restarted = await start();
    const checked = await checkUsers(restarted, load.acknowledged);
    process.kill(restarted.npmPid, 'SIGTERM');
    await restarted.exited;

    // Assert
    report(
      `SIGTERM to npm (pid ${system.npmPid}) during sign-ups from 8 writers`,
      `${load.cut.length} requests cut in flight; ${load.acknowledged.length - checked.missing.length} of ` +
        `${load.acknowledged.length} acknowledged users found after a restart, with their email index`,
    );
    expect(load.cut).toEqual([]);
    expect(checked).toEqual({ missing: [], emailFree: [] });
  }, 180_000);

  it('when a journal line of the data dir is corrupted, then npm start refuses naming it, and data:repair gets it going', async () => {
    // Arrange: the users written above are in state/user; change one byte of one of their journal lines
    const userDir = join(dataDir, 'state', 'user');
    const journal = join(userDir, (await readdir(userDir)).filter((name) => name.startsWith('journal-')).sort()[0]);
    const text = await readFile(journal, 'utf8');
    const at = text.indexOf('"username":"kill');
    await writeFile(journal, `${text.slice(0, at)}"username":"Kill${text.slice(at + '"username":"kill'.length)}`);
    const line = text.slice(0, at).split('\n').length;

    // Act
    const refused = await start().then(
      () => 'started',
      (error: Error) => error.message,
    );
    const repair = await promisify(execFile)('npm', ['run', '-s', 'data:repair'], {
      cwd: join(__dirname, '..', '..', '..', '..'),
      env: { ...process.env, DATA_DIR: dataDir },
    });
    const repaired = await start();
    const answers = await repaired.gql('{ __typename }');
    process.kill(repaired.npmPid, 'SIGTERM');
    await repaired.exited;

    // Assert
    report(
      `one byte changed in ${journal} line ${line} (JSON still valid)`,
      'npm start refused naming the file and line; npm run data:repair dropped the line, keeping a copy; npm start served again',
    );
    expect(refused).toContain(`${journal}: line ${line} does not match its checksum`);
    expect(repair.stdout).toContain('repair-');
    expect(answers.status).toBe(200);
  }, 180_000);

  it('when a snapshot byte is corrupted, then npm start refuses naming the snapshot and its line', async () => {
    // Arrange: a directory opened once has a sealed snapshot; change a byte of its header line
    const snapshot = join(dataDir, 'state', 'user', 'snapshot.jsonl');
    const text = await readFile(snapshot, 'utf8');
    await writeFile(snapshot, text.replace('"format":2', '"format":3'));

    // Act
    const refused = await start().then(
      () => 'started',
      (error: Error) => error.message,
    );
    await delay(100);

    // Assert
    report(`"format":2 changed to "format":3 in ${snapshot} (JSON still valid)`, 'npm start refused naming line 1');
    expect(refused).toContain(`${snapshot}: line 1 does not match its checksum`);
  }, 120_000);
});
