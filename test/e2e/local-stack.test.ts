import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiClient } from '#test/http.ts';
import { retriedWhileContended } from '#test/load.ts';
import {
  errorMessages,
  runLocalStackExpectingExit,
  startLocalStackProcess,
} from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

const freshDataDir = () => scratchDir('stack');

describe('E2E: the local stack process', () => {
  it('says it listens on loopback only, and writes where its engine is for other tools', async () => {
    const dataDir = await freshDataDir();
    const stack = await startLocalStackProcess({ DATA_DIR: dataDir });
    try {
      expect(stack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(stack.output.join('\n')).toContain('loopback only');
      const endpoints = JSON.parse(await readFile(join(dataDir, 'local-stack.json'), 'utf8'));
      expect(endpoints).toMatchObject({
        url: stack.url,
        engineEndpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/),
      });

      const second = await runLocalStackExpectingExit({ DATA_DIR: dataDir });
      expect(second.code).toBe(1);
      expect(errorMessages(second.output)[0]).toMatch(
        /^DATA_DIR .+ is in use by another local stack/,
      );
    } finally {
      expect(await stack.stop()).toBe(0);
    }
  });

  it('exits non-zero with a clear message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runLocalStackExpectingExit({
        DATA_DIR: await freshDataDir(),
        PORT: String(port),
      });
      expect(result.code).toBe(1);
      expect(errorMessages(result.output)).toEqual([
        `Port ${port} on 127.0.0.1 is already in use. Stop what runs there or set PORT to a free port.`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it('exits non-zero with a clear message when DATA_DIR is not writable', async () => {
    const notAFolder = join(await freshDataDir(), 'a-file');
    await writeFile(notAFolder, 'not a folder');
    const result = await runLocalStackExpectingExit({ DATA_DIR: join(notAFolder, 'data') });
    expect(result.code).toBe(1);
    expect(errorMessages(result.output)[0]).toMatch(
      /^DATA_DIR .+ is not a writable folder \(ENOTDIR\)/,
    );
  });

  it('exits non-zero with a clear message for a malformed setting', async () => {
    const result = await runLocalStackExpectingExit({
      DATA_DIR: await freshDataDir(),
      PORT: 'http',
    });
    expect(result.code).toBe(1);
    expect(errorMessages(result.output)).toEqual([
      "PORT must be a whole number from 0 to 65535, not 'http'.",
    ]);
  });

  it('loses no acknowledged write across kill -9: history and projection have them all after restart', async () => {
    const dataDir = await freshDataDir();
    const first = await startLocalStackProcess({ DATA_DIR: dataDir });
    const api = apiClient(first.url);
    const acknowledged = await Promise.all(
      Array.from({ length: 60 }, async (_, index) => {
        const name = `crash.key${index % 12}`;
        const response = await retriedWhileContended(() =>
          api.put(`/config/${name}`, { value: index }),
        );
        expect(response.status).toBeLessThan(300);
        return { name, version: response.body.version as number, value: index };
      }),
    );
    await first.crash();

    const second = await startLocalStackProcess({ DATA_DIR: dataDir });
    try {
      const after = apiClient(second.url);
      // The change feed too: it reads the log itself.
      const feed = await after.get('/changes?limit=1000');
      const fed = new Set(
        feed.body.changes.map(
          (change: { name: string; version: number }) => `${change.name}@${change.version}`,
        ),
      );
      for (const write of acknowledged)
        expect(fed.has(`${write.name}@${write.version}`)).toBe(true);
      for (const write of acknowledged) {
        const history = await after.get(`/config/${write.name}/history`);
        const event = history.body.events.find(
          (item: { version: number }) => item.version === write.version,
        );
        expect(event).toMatchObject({ value: write.value });
      }
      for (let key = 0; key < 12; key++) {
        const name = `crash.key${key}`;
        const head = Math.max(
          ...acknowledged.filter((write) => write.name === name).map((write) => write.version),
        );
        const history = await after.get(`/config/${name}/history`);
        expect(history.body.events.map((item: { version: number }) => item.version)).toEqual(
          Array.from({ length: head }, (_, index) => index + 1),
        );
        // Caught up on start: the projection is at the head without waiting for the stream.
        expect((await after.get(`/config/${name}`)).body.version).toBe(head);
      }
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
