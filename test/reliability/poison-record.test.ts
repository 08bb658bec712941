import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { endpointsFile } from '#local/data-dir.ts';
import { logTable } from '#store/tables.ts';
import { apiClient, readProjected } from '#test/http.ts';
import { startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

/** A commit at revision 2 as the service would write it, and a damaged copy of it. */
const commitAt2 = {
  log: { S: 'all' },
  revision: { N: '2' },
  occurredAt: { S: '2026-02-12T10:00:00.000Z' },
  actor: { S: 'ops' },
  commitId: { S: 'repaired' },
  changes: {
    L: [
      {
        M: {
          name: { S: 'restored.entry' },
          version: { N: '1' },
          type: { S: 'ConfigValueSet' },
          value: { S: '"from the backup"' },
        },
      },
    ],
  },
};
const damaged = { ...commitAt2, occurredAt: { S: 'never' }, changes: { L: [] } };

describe('Reliability: a damaged commit in the log', () => {
  it('stops the order at it, loudly and losing nothing, until it is repaired', async () => {
    const dataDir = await scratchDir('poison');
    const stack = await startLocalStackProcess({
      DATA_DIR: dataDir,
      STREAM_MAX_RETRIES: '2',
      STREAM_RETRY_DELAY_MS: '10',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    try {
      const api = apiClient(stack.url);
      const { engineEndpoint } = JSON.parse(await readFile(join(dataDir, endpointsFile), 'utf8'));
      const engine = new DynamoDBClient({
        endpoint: engineEndpoint,
        region: 'local',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      });
      const putInLog = (Item: typeof commitAt2) =>
        engine.send(new PutItemCommand({ TableName: logTable.defaultTableName, Item }));
      expect((await api.put('/config/before.damage', { value: 1 })).status).toBe(201);

      // Someone with write access to the table leaves an unreadable commit at revision 2.
      await putInLog(damaged);

      // Nothing is decided on a history it cannot read: writes refuse, health says why.
      const refused = await api.put('/config/after.damage', { value: 2 });
      expect(refused.status).toBe(500);
      expect(refused.body).toEqual({ error: 'internal_error', message: expect.any(String) });
      const health = await api.get('/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        status: 'degraded',
        revision: 2,
        projectedRevision: 1,
        checks: { projectionLag: { status: 'failed', error: 'CorruptCommitError' } },
      });
      // What the projector had applied stays readable.
      expect((await readProjected(api, 'before.damage', 1)).body.value).toBe(1);
      const deadLetters = (await readFile(join(dataDir, 'dead-letter.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(deadLetters[0]).toMatchObject({
        attempts: 3,
        record: { dynamodb: { Keys: { log: { S: 'all' }, revision: { N: '2' } } } },
      });

      // Repaired (from a backup, say): the order resumes where it stopped, nothing is lost.
      await putInLog(commitAt2);
      const written = await api.put('/config/after.damage', { value: 2 });
      expect(written.status).toBe(201);
      expect(written.body.revision).toBe(3);
      expect((await readProjected(api, 'restored.entry', 1)).body.value).toBe('from the backup');
      expect((await readProjected(api, 'after.damage', 1)).body.value).toBe(2);
    } finally {
      await stack.stop();
    }
  });
});
