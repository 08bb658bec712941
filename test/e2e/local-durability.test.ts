import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { endpointsFile, engineDirectory } from '#local/data-dir.ts';
import { apiClient } from '#test/http.ts';
import {
  errorMessages,
  runLocalStackExpectingExit,
  startLocalStackProcess,
} from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';
import { expectDocumented } from './openapi-conformance.ts';

/** These stacks write as `npm start` does by default: each write synced to disk. */
const synced = { SYNC_WRITES: 'true' };
const marker = 'corruption-target-0123456789abcdef';
/** The part of the marker stored literally, whatever the table's compression makes of the rest. */
const literal = Buffer.from(marker.slice(-16));
const inUse =
  /^DATA_DIR .+ is in use by another local stack \((pid \d+, http:\S+|still starting)\)/;

/** Flips one bit of the marker in the first engine file (of the given kind) that holds it. */
async function flipBitInMarker(dataDir: string, extension: string): Promise<string> {
  const directory = engineDirectory(dataDir);
  for (const name of (await readdir(directory)).filter((file) => file.endsWith(extension))) {
    const bytes = await readFile(join(directory, name));
    const at = bytes.indexOf(literal);
    if (at === -1) continue;
    bytes[at + 5] = (bytes[at + 5] ?? 0) ^ 0x04;
    await writeFile(join(directory, name), bytes);
    return name;
  }
  throw new Error(`No ${extension} file in ${directory} holds the marker.`);
}

function noStackTrace(output: string[]): void {
  expect(output.join('\n')).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

/** The embedded engine's own files; another engine (DYNAMODB_ENDPOINT) keeps its data itself. */
const embedded = process.env.DYNAMODB_ENDPOINT === undefined;

describe('E2E: the local stack keeps what it acknowledged, or says why it cannot', () => {
  it.runIf(embedded)(
    'refuses to start on a table file with a flipped bit, naming it, instead of serving another value',
    async () => {
      const dataDir = await scratchDir('corrupt-table');
      const first = await startLocalStackProcess({ DATA_DIR: dataDir, ...synced });
      await apiClient(first.url).put('/config/durable.target', { value: marker });
      await first.stop();
      // Opening the store again turns its log into a table file.
      await (await startLocalStackProcess({ DATA_DIR: dataDir, ...synced })).stop();
      const damaged = await flipBitInMarker(dataDir, '.ldb');

      const result = await runLocalStackExpectingExit({ DATA_DIR: dataDir, ...synced });

      expect(result.code).toBe(1);
      expect(errorMessages(result.output)[0]).toMatch(
        new RegExp(
          `^The engine's data is damaged: .+/${damaged} \\(a table block does not match its checksum, at byte \\d+\\)`,
        ),
      );
      noStackTrace(result.output);
    },
  );

  it.runIf(embedded)(
    'refuses to start on a log record with a flipped bit, instead of dropping that write',
    async () => {
      const dataDir = await scratchDir('corrupt-log');
      const first = await startLocalStackProcess({ DATA_DIR: dataDir, ...synced });
      await apiClient(first.url).put('/config/durable.target', { value: marker });
      await first.crash();
      const damaged = await flipBitInMarker(dataDir, '.log');

      const result = await runLocalStackExpectingExit({ DATA_DIR: dataDir, ...synced });

      expect(result.code).toBe(1);
      expect(errorMessages(result.output)[0]).toMatch(
        new RegExp(`^The engine's data is damaged: .+/${damaged} \\(a log record does not match`),
      );
      noStackTrace(result.output);
    },
  );

  it('says "in use" when a second stack starts on a folder whose first one is still starting', async () => {
    const dataDir = await scratchDir('starting');
    const starting = startLocalStackProcess({ DATA_DIR: dataDir, ...synced });
    while (!existsSync(join(dataDir, 'instance-lock', 'LOCK'))) await sleep(10);

    const second = await runLocalStackExpectingExit({ DATA_DIR: dataDir, ...synced });
    const first = await starting;

    expect(second.code).toBe(1);
    expect(errorMessages(second.output)[0]).toMatch(inUse);
    noStackTrace(second.output);
    expect(await first.stop()).toBe(0);
  });

  it('is not blocked by a stale record whose pid now belongs to another process', async () => {
    const dataDir = await scratchDir('stale');
    const unrelated = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await mkdir(dataDir, { recursive: true });
      await writeFile(
        join(dataDir, endpointsFile),
        JSON.stringify({ url: 'http://127.0.0.1:1', engineEndpoint: 'x', pid: unrelated.pid }),
      );

      const stack = await startLocalStackProcess({ DATA_DIR: dataDir, ...synced });

      expect((await apiClient(stack.url).get('/config?limit=1')).status).toBe(200);
      expect(await stack.stop()).toBe(0);
    } finally {
      unrelated.kill();
    }
  });

  it.runIf(embedded)(
    'answers writes 507 when the disk is full, stays up, and goes on serving reads',
    async () => {
      const dataDir = await scratchDir('disk-full');
      // A small disk of its own (the test runs as root, as CI does).
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dataDir]);
      try {
        const stack = await startLocalStackProcess({ DATA_DIR: dataDir, ...synced });
        const api = apiClient(stack.url);
        const written: { name: string; value: string }[] = [];
        let refused: Awaited<ReturnType<typeof api.put>> | undefined;
        for (let index = 0; index < 40 && !refused; index++) {
          const write = { name: `full.k${index}`, value: `${index}:${'v'.repeat(100_000)}` };
          const response = await api.put(`/config/${write.name}`, { value: write.value });
          if (response.status === 507) refused = response;
          else written.push(write);
        }

        if (refused) await expectDocumented('PUT', '/config/{name}', refused);
        expect(refused?.body).toEqual({
          error: 'insufficient_storage',
          message: expect.stringMatching(
            /^The local stack's disk is full \(.+No space left on device\)/,
          ),
        });
        expect((await api.put('/config/full.small', { value: 1 })).status).toBe(507);
        expect(written.length).toBeGreaterThan(0);
        for (const write of written) {
          const read = await api.get(`/config/${write.name}?consistent=true`);
          expect(read.body.value).toBe(write.value);
        }
        expect(stack.child.exitCode).toBeNull();
        await stack.stop();
      } finally {
        execFileSync('umount', [dataDir]);
      }
    },
  );
});
