import path from 'node:path';
import { build, stop } from 'esbuild';
import { REPO_ROOT } from '@sitter/infra-harness';

/** Bundlings under way in this process: esbuild's service is stopped once none is. */
let bundling = 0;

/**
 * Each app's entry point bundled into one JavaScript file, as the image's build stage bundles it (Dockerfile: esbuild
 * --bundle --platform=node --target=node24 --format=cjs --legal-comments=none): a Dapr run starts what production
 * runs, not the TypeScript sources through tsx (whose loader alone takes node from 42 to 55 MB RSS, before it
 * compiles and keeps every module the app loads). Returns entry → bundle path.
 */
export const bundleEntries = async (entries: readonly string[], outDir: string): Promise<Map<string, string>> => {
  const bundles = new Map<string, string>();
  bundling += 1;
  try {
    await Promise.all(
      entries.map(async (entry) => {
        const outfile = path.join(outDir, `${path.basename(path.dirname(path.dirname(entry)))}.js`);
        await build({
          entryPoints: [path.join(REPO_ROOT, entry)],
          bundle: true,
          platform: 'node',
          target: 'node24',
          format: 'cjs',
          legalComments: 'none',
          outfile,
          logLevel: 'warning',
        });
        bundles.set(entry, outfile);
      }),
    );
  } finally {
    bundling -= 1;
    // esbuild keeps a service process for further builds; none come until the next system starts.
    if (bundling === 0) await stop();
  }
  return bundles;
};
