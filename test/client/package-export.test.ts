import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../client/build.ts';

const run = promisify(execFile);

beforeAll(buildClient, 60_000);

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
