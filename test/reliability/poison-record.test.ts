import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { endpointsFile } from '#local/data-dir.ts';
import { eventsTable } from '#store/tables.ts';
import { apiClient, readProjected } from '#test/http.ts';
import { startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

describe('Reliability: a poison record in the stream', () => {
  it('is retried a bounded number of times, dead-lettered, and blocks nothing behind it', async () => {
    const dataDir = await scratchDir('poison');
    const stack = await startLocalStackProcess({
      DATA_DIR: dataDir,
      STREAM_MAX_RETRIES: '2',
      STREAM_RETRY_DELAY_MS: '10',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    try {
      const api = apiClient(stack.url);
      const { engineEndpoint } = JSON.parse(await readFile(join(dataDir, endpointsFile), 'utf8'));
      const engine = new DynamoDBClient({
        endpoint: engineEndpoint,
        region: 'local',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      });
      // An event the projector cannot read: unknown type, no valid time.
      await engine.send(
        new PutItemCommand({
          TableName: eventsTable.defaultTableName,
          Item: {
            name: { S: 'poison.pill' },
            version: { N: '1' },
            type: { S: 'ConfigValueRenamed' },
            occurredAt: { S: 'never' },
          },
        }),
      );
      for (let index = 0; index < 5; index++) {
        await api.put(`/config/after.poison${index}`, { value: index });
      }

      for (let index = 0; index < 5; index++) {
        const read = await readProjected(api, `after.poison${index}`, 1);
        expect(read.body).toMatchObject({ value: index, version: 1 });
      }
      const deadLetters = (await readFile(join(dataDir, 'dead-letter.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(deadLetters).toEqual([
        expect.objectContaining({
          attempts: 3,
          record: expect.objectContaining({
            eventName: 'INSERT',
            dynamodb: expect.objectContaining({
              Keys: { name: { S: 'poison.pill' }, version: { N: '1' } },
            }),
          }),
        }),
      ]);
      expect((await api.get('/health')).status).toBe(200);
    } finally {
      await stack.stop();
    }
  });
});
