import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The client library as applications import it (`config-ledger/client`, and
 * `config-ledger/client/powertools`): ES modules in dist/client, dependencies left to the
 * application's own node_modules. Node does not strip types inside node_modules, so the
 * TypeScript sources serve only as the types (package.json "exports").
 */

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export async function buildClient(): Promise<void> {
  await build({
    entryPoints: { index: 'client/index.ts', powertools: 'client/powertools-provider.ts' },
    outdir: 'dist/client',
    absWorkingDir: projectRoot,
    bundle: true,
    splitting: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildClient();
