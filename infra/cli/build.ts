import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The CLI as shipped: the TypeScript sources and their dependencies bundled by esbuild into ES
 * modules, so that a call starts Node on plain JavaScript instead of compiling the sources every
 * time (issue 15: 0.7–2.3 s with tsx). bin.js loads dist/cli/main.js. What only some calls need
 * (SigV4 signing and the AWS credential chain, three quarters of the code) is split into chunks
 * that load on first use, which halves the CPU time of a call that does not sign.
 *
 * `npm run build:cli` runs this; `npm install` (prepare), `npm start` and the test run's global
 * setup do it too, so a fresh clone never meets a missing or stale build.
 */

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Where the build goes (git-ignored); bin.js loads its main.js. */
export const cliDir = 'dist/cli';

export async function buildCli(): Promise<void> {
  // Chunks are named by their content: old ones would pile up.
  await rm(join(projectRoot, cliDir), { recursive: true, force: true });
  await build({
    entryPoints: ['infra/cli/main.ts'],
    outdir: cliDir,
    splitting: true,
    absWorkingDir: projectRoot,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Node.js 20 still runs it (see the README), though 22 is the supported version.
    target: 'node20',
    // Prefer the ES module builds of dependencies: esbuild tree-shakes those.
    mainFields: ['module', 'main'],
    // CommonJS dependencies bundled into an ES module still call `require` for Node built-ins.
    banner: {
      js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
    },
    minify: true,
    // Errors are reported as messages, never as stack traces: no map needed.
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();
