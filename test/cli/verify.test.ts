import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, useCliStack } from './cli-process.ts';
import { startStandInApi } from './stand-in-api.ts';

const { api, local } = useCliStack();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-'));
  // Values whose text a careless client would change: a big number, keys out of order.
  for (const value of ['{"big":12345678901234567890,"b":1,"a":2.50}', '[1e400,"x"]']) {
    await api.call('PUT', '/config/audit.a', { rawBody: `{"value":${value}}` });
  }
  await api.call('PUT', '/config/audit.b', { rawBody: '{"value":true}' });
  await api.call('DELETE', '/config/audit.b');
});

interface HeadsFile {
  revision: number;
  heads: { name: string; version: number; revision: number; hash: string }[];
}

describe('CLI: verify', () => {
  it('recomputes every chain from the feed, and writes the heads to pin', async () => {
    // Act
    const heads = join(dir, 'heads.json');
    const result = await runCli(['verify', '--write-heads', heads], local);
    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Verified 4 commits, 4 events, up to revision 4\.\nEvery chain holds\.\n$/,
    );
    const written = JSON.parse(await readFile(heads, 'utf8')) as HeadsFile;
    const entry = (await api.get('/config/audit.a')).body;
    expect(written.heads.find((head) => head.name === 'audit.a')).toEqual({
      name: 'audit.a',
      version: 2,
      revision: 2,
      hash: entry.hash,
    });
  });

  it('finds pinned heads unchanged, and exits 7 for one that is not', async () => {
    // Prepare
    const heads = join(dir, 'pinned.json');
    await runCli(['verify', '--write-heads', heads], local);
    const pinned = JSON.parse(await readFile(heads, 'utf8')) as HeadsFile;
    const forged = join(dir, 'forged.json');
    const [first, ...rest] = pinned.heads;
    await writeFile(
      forged,
      JSON.stringify({ ...pinned, heads: [{ ...first, hash: 'f'.repeat(64) }, ...rest] }),
    );
    // Act
    const same = await runCli(['verify', '--expect-heads', heads], local);
    const changed = await runCli(['verify', '--expect-heads', forged, '--json'], local);
    // Assess
    expect(same.code).toBe(0);
    expect(changed.code).toBe(7);
    expect(JSON.parse(changed.stdout)).toMatchObject({
      findingCount: 1,
      findings: [{ kind: 'altered', name: first?.name, version: first?.version }],
    });
    expect(changed.stderr).toContain('1 finding: the history is not what was written.');
  });

  it('does not trust the server: a feed whose value was changed is caught on this machine', async () => {
    // Prepare: a server that answers the real feed with one value changed.
    const feed = (await api.get('/changes?after=0&limit=1000')).text;
    const standIn = await startStandInApi();
    standIn.answer(200, feed.replace('"a":2.50', '"a":2.5'));
    // Act
    const result = await runCli(['verify'], { url: standIn.url });
    await standIn.close();
    // Assess
    expect(result.code).toBe(7);
    expect(result.stdout).toMatch(
      /^altered +1 +audit\.a +1 +Version 1 of 'audit\.a' no longer matches its hash/m,
    );
  });
});
