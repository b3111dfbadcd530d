/**
 * `npm run contracts:schemas`: writes packages/contracts/schemas/ (the JSON Schema of each topic's messages) from
 * the zod schemas in packages/contracts. With --check it only compares, and exits 1 if a file differs (a jest test
 * does the same in npm test).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { JSON_SCHEMAS_DIR, renderMessageSchemas } from '@sitter/contracts';

const dir = path.join(__dirname, '..', '..', 'packages', 'contracts', JSON_SCHEMAS_DIR);
const check = process.argv.includes('--check');
let stale = 0;
mkdirSync(dir, { recursive: true });
for (const [file, content] of renderMessageSchemas()) {
  const target = path.join(dir, file);
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (current === content) continue;
  if (check) {
    console.log(`✘ packages/contracts/${JSON_SCHEMAS_DIR}/${file} differs from the schemas in packages/contracts/src`);
    stale++;
  } else {
    writeFileSync(target, content);
    console.log(`✔ wrote packages/contracts/${JSON_SCHEMAS_DIR}/${file}`);
  }
}
if (check && stale > 0) {
  console.log("run 'npm run contracts:schemas' to regenerate");
  process.exit(1);
}
console.log(
  check ? '✔ packages/contracts/schemas/ matches the schemas' : '✔ packages/contracts/schemas/ is up to date',
);
