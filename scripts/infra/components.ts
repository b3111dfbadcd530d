/**
 * `npm run infra:components`: writes dapr-components/ from the names in packages/contracts (renderSelfHostedResources:
 * the shared resources, state-postgresql/ and state-redis/), and removes YAML files it does not write.
 * With --check it only compares, and exits 1 if a file differs (a jest test does the same in npm test).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderSelfHostedResources } from '@sitter/infra-harness';
import { REPO_ROOT } from '@sitter/infra-harness/tools';

const dir = path.join(REPO_ROOT, 'dapr-components');
const check = process.argv.includes('--check');
let stale = 0;
const rendered = renderSelfHostedResources();
for (const [file, content] of rendered) {
  const target = path.join(dir, file);
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (current === content) continue;
  if (check) {
    console.log(`✘ dapr-components/${file} differs from what packages/contracts says`);
    stale++;
  } else {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    console.log(`✔ wrote dapr-components/${file}`);
  }
}
// A YAML file the generator no longer writes (e.g. a state store moved to a folder of its own) would still be loaded.
const committed = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.yaml'));
for (const file of committed.filter((each) => !rendered.has(each.split(path.sep).join('/')))) {
  if (check) {
    console.log(`✘ dapr-components/${file} is not generated any more`);
    stale++;
  } else {
    rmSync(path.join(dir, file));
    console.log(`✔ removed dapr-components/${file}`);
  }
}
if (check && stale > 0) {
  console.log("run 'npm run infra:components' to regenerate");
  process.exit(1);
}
console.log(check ? '✔ dapr-components/ matches packages/contracts' : '✔ dapr-components/ is up to date');
