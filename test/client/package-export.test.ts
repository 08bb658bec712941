import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// dist/client is built once for the run by the global setup (test/support/cli-build.ts).
describe('Package: config-ledger/client', () => {
  it('is importable by plain Node, as an application imports it, with its Powertools provider', async () => {
    const script = `
      const client = await import('config-ledger/client');
      const powertools = await import('config-ledger/client/powertools');
      console.log([typeof client.ConfigReader, typeof client.NotFoundError, typeof powertools.ConfigLedgerProvider].join(' '));
    `;

    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);

    expect(stdout.trim()).toBe('function function function');
  });
});
