#!/usr/bin/env node
// The `config-ledger` executable: loads the CLI as built by infra/cli/build.ts (`npm run
// build:cli`, which `npm install`, `npm start` and `npm test` run), plain JavaScript that starts
// in a fraction of the time compiling the TypeScript sources on every call took.
const bundle = new URL('../../dist/cli/main.js', import.meta.url);

try {
  await import(bundle.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(bundle.pathname)) {
    throw error;
  }
  process.stderr.write(
    'config-ledger is not built yet: run `npm run build:cli` in the config-ledger folder.\n',
  );
  process.exitCode = 1;
}
