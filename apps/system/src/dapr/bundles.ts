import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '@sitter/infra-harness';

/**
 * Each app's entry point bundled into one JavaScript file, as the image's build stage bundles it (Dockerfile: esbuild
 * --bundle --platform=node --target=node24 --format=cjs --legal-comments=none): a Dapr run starts what production
 * runs, not the TypeScript sources through tsx (whose loader alone takes node from 42 to 55 MB RSS, before it
 * compiles and keeps every module the app loads). Returns entry → bundle path.
 */
export const bundleEntries = async (entries: readonly string[], outDir: string): Promise<Map<string, string>> => {
  const bundles = new Map<string, string>();
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
  return bundles;
};
