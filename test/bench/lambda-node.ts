import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * The Node.js the functions run on in Lambda (Runtime.NODEJS_22_X), as the npm registry's `node`
 * package ships it; `npm run test:node22` runs the tests on the same release.
 */
export const lambdaNodePackage = 'node@22.23.3';

const run = promisify(execFile);

let located: Promise<string> | undefined;

/**
 * The path of a Node.js 22 binary: this process's own when it is one, else the `node` package's,
 * installed into npm's cache by npx on first use.
 */
export function lambdaNodeBinary(): Promise<string> {
  if (process.versions.node.startsWith('22.')) return Promise.resolve(process.execPath);
  located ??= run('npx', ['--yes', lambdaNodePackage, '-p', 'process.execPath']).then(
    ({ stdout }) => stdout.trim(),
  );
  return located;
}
