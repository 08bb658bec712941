import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The CLI as shipped: the TypeScript sources and their dependencies bundled by esbuild into one
 * ES module, so that a call starts Node on plain JavaScript instead of compiling the sources
 * every time (issue 15: 0.7–2.3 s with tsx). bin.js loads it.
 *
 * `npm run build:cli` runs this; `npm install` (prepare), `npm start` and the test run's global
 * setup do it too, so a fresh clone never meets a missing or stale build.
 */

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Where bin.js finds the build (git-ignored). */
export const cliBundle = 'dist/cli.js';

export async function buildCli(): Promise<void> {
  await build({
    entryPoints: ['infra/cli/main.ts'],
    outfile: cliBundle,
    absWorkingDir: projectRoot,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // The oldest Node.js the CLI still runs on (see engines and the README).
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
