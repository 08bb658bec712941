import { build } from 'vite';

/**
 * Global setup: builds the web console into console/dist once per run, so the browser tests
 * (and the local stacks the tests start) serve a build of the source under test.
 */
export default async function setup() {
  await build({ configFile: 'console/vite.config.ts', logLevel: 'warn' });
}
