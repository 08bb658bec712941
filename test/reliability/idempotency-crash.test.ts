import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { endpointsFile } from '#local/data-dir.ts';
import { idempotencyTable } from '#store/tables.ts';
import { apiClient } from '#test/http.ts';
import { startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

/** A short function timeout, so that an interrupted key is released in a second. */
const functionTimeoutMs = 1000;
const writes = Array.from({ length: 60 }, (_, index) => ({
  name: `crash.idem${index}`,
  key: `crash-key-${index}`,
  value: index,
}));

/** Keys Powertools recorded as in progress and that never completed: what kill -9 leaves. */
async function keysInProgress(dataDir: string): Promise<number> {
  const { engineEndpoint } = JSON.parse(await readFile(join(dataDir, endpointsFile), 'utf8'));
  const engine = new DynamoDBClient({
    endpoint: engineEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const page = await engine.send(
    new ScanCommand({
      TableName: idempotencyTable.defaultTableName,
      FilterExpression: '#status = :inProgress',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':inProgress': { S: 'INPROGRESS' } },
    }),
  );
  return page.Count ?? 0;
}

describe('Reliability: keyed writes interrupted by kill -9', () => {
  it("accept their key again once the function's timeout has passed, and write once", async () => {
    const dataDir = await scratchDir('idempotency-crash');
    const env = {
      DATA_DIR: dataDir,
      FUNCTION_TIMEOUT_MS: String(functionTimeoutMs),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
    const first = await startLocalStackProcess(env);
    const api = apiClient(first.url);
    const inFlight = writes.map((write) =>
      api.put(`/config/${write.name}`, { value: write.value }, { 'idempotency-key': write.key }),
    );
    await Promise.race(inFlight);
    await first.crash();
    await Promise.allSettled(inFlight);
    const crashedAt = Date.now();

    const second = await startLocalStackProcess(env);
    try {
      const after = apiClient(second.url);
      // The precondition that makes this test mean something: the crash caught keys mid-write.
      expect(await keysInProgress(dataDir)).toBeGreaterThan(0);
      const writtenBefore = new Set<string>();
      for (const write of writes) {
        const history = await after.get(`/config/${write.name}/history`);
        if (history.status === 200) writtenBefore.add(write.name);
      }
      await sleep(Math.max(0, crashedAt + functionTimeoutMs + 100 - Date.now()));

      for (const write of writes) {
        const retry = await after.put(
          `/config/${write.name}`,
          { value: write.value },
          { 'idempotency-key': write.key },
        );
        expect(retry.status, `${write.key}: ${retry.text}`).toBeLessThan(300);
        const history = await after.get(`/config/${write.name}/history`);
        const replayed = retry.headers.get('idempotency-replayed') === 'true';
        // A write that had not happened happens now, once; a completed one is answered again.
        // (A crash between a write and the recording of its answer is not covered: see README.)
        if (!writtenBefore.has(write.name) || replayed) {
          expect(history.body.events).toMatchObject([{ version: 1, value: write.value }]);
        }
      }
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
