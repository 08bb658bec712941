import { buildCli } from '../../infra/cli/build.ts';

/**
 * Global setup: builds the CLI once per run, as `npm run build:cli` does, so the CLI tests run
 * the executable users get (bin.js loading the build) on the sources under test.
 */
export default async function setup() {
  await buildCli();
}
