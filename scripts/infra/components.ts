/**
 * `npm run infra:components`: writes dapr-components/ from the names in packages/contracts.
 * With --check it only compares, and exits 1 if a file differs (a jest test does the same in npm test).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDaprResources } from '@sitter/infra-harness';
import { REPO_ROOT } from '@sitter/infra-harness/tools';

const dir = path.join(REPO_ROOT, 'dapr-components');
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, content] of renderDaprResources()) {
  const target = path.join(dir, file);
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (current === content) continue;
  if (check) {
    console.log(`✘ dapr-components/${file} differs from what packages/contracts says`);
    stale++;
  } else {
    writeFileSync(target, content);
    console.log(`✔ wrote dapr-components/${file}`);
  }
}
if (check && stale > 0) {
  console.log("run 'npm run infra:components' to regenerate");
  process.exit(1);
}
console.log(check ? '✔ dapr-components/ matches packages/contracts' : '✔ dapr-components/ is up to date');
