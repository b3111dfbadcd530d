import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { checkDataDir, repairDataDir, type FileReport } from './data-check';

/**
 * `npm run data:check` and `npm run data:repair`: verify every checksum of the embedded runtime's files under
 * DATA_DIR (./.data by default), and set damaged lines aside keeping a copy. Both lock the directory: stop
 * `npm start` first. Exit status: 0 when nothing is damaged (check) or everything was repaired, 1 otherwise.
 */
const MAX_SHOWN = 160;

const shorten = (text: string) => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);

const describeFile = (report: FileReport): string[] => {
  const name = relative(process.cwd(), report.file) || report.file;
  const lines = report.problems.map(
    (problem) => `✘ ${name} line ${problem.line} ${problem.problem}${problem.text ? `: ${shorten(problem.text)}` : ''}`,
  );
  if (report.tornBytes > 0)
    lines.push(`! ${name} ends in a line torn by a crash (${report.tornBytes} bytes; cut off at the next start)`);
  if (report.unsealed > 0)
    lines.push(`· ${name} has ${report.unsealed} lines written before checksums (sealed at the next start)`);
  return lines;
};

const main = async (command: string | undefined): Promise<number> => {
  const dataDir = process.env.DATA_DIR ?? './.data';
  if (command !== 'check' && command !== 'repair') {
    console.error(
      'usage: npm run data:check | npm run data:repair   (DATA_DIR names the data directory, ./.data by default)',
    );
    return 2;
  }
  if (!existsSync(dataDir)) {
    console.log(`${dataDir} does not exist: nothing to ${command}`);
    return 0;
  }
  if (command === 'check') {
    const report = await checkDataDir(dataDir);
    for (const file of report.files) for (const line of describeFile(file)) console.log(line);
    const damaged = report.files.filter((file) => file.problems.length > 0);
    const lines = damaged.reduce((sum, file) => sum + file.problems.length, 0);
    console.log(
      damaged.length === 0
        ? `${report.dataDir}: ${report.files.length} files verified, no damaged line`
        : `${report.dataDir}: ${lines} damaged line(s) in ${damaged.length} file(s); start-up refuses them. ` +
            '`npm run data:repair` drops them, keeping a copy; restoring a backup keeps what they held.',
    );
    return damaged.length === 0 ? 0 : 1;
  }
  const report = await repairDataDir(dataDir);
  for (const file of report.files) for (const line of describeFile(file)) console.log(line);
  if (!report.copies) {
    console.log(`${report.dataDir}: ${report.files.length} files verified, nothing to repair`);
    return 0;
  }
  console.log(
    `repaired: the lines marked ✘ and torn tails were dropped; the files as they were, and a REPORT.txt of what was ` +
      `dropped, are in ${report.copies}. A dropped record is lost from the state: records that referred to it ` +
      '(e.g. an index entry) may now point nowhere.',
  );
  return 0;
};

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
