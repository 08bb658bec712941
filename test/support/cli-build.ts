import { buildClient } from '../../client/build.ts';
import { buildCli } from '../../infra/cli/build.ts';

/**
 * Global setup: builds the CLI and the client library once per run, as `npm run build:cli` and
 * `build:client` do, so the tests run what users get (bin.js loading the build; an application
 * importing `config-ledger/client`) on the sources under test.
 */
export default async function setup() {
  await Promise.all([buildCli(), buildClient()]);
}
