import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { rebuildProjection } from '#app/rebuild.ts';
import { logger } from '#shared/logger.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { EventStore } from '#store/event-store.ts';
import { FeedStore } from '#store/feed-store.ts';
import { ProjectionStore } from '#store/projection-store.ts';
import { eventsTable, projectionTable } from '#store/tables.ts';
import { configFromEnv } from './config.ts';
import { startEngine } from './engine.ts';
import { endpointsFile } from './local-stack.ts';

/**
 * `npm run rebuild`: replays the events table into the projection and the change feed.
 * - With EVENTS_TABLE_NAME and PROJECTION_TABLE_NAME set, against those tables wherever the AWS
 *   SDK points (your AWS account, or AWS_ENDPOINT_URL_DYNAMODB).
 * - Otherwise against the local stack's DATA_DIR: through the running local stack's engine, or
 *   by opening the data itself when none runs.
 */
async function main(): Promise<void> {
  const onAws = Boolean(
    process.env[eventsTable.tableNameVariable] && process.env[projectionTable.tableNameVariable],
  );
  const config = configFromEnv();
  const { endpoint, close } = onAws
    ? { endpoint: undefined, close: async () => {} }
    : await localEngine(config.dataDir ?? '.data');
  const client = new DynamoDBClient(
    endpoint
      ? {
          endpoint,
          region: 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  const db = createDocumentClient(client);
  const report = await rebuildProjection(
    {
      events: new EventStore(db, config.eventsTableName),
      projection: new ProjectionStore(db, config.projectionTableName),
    },
    { segments: 8, feed: { store: new FeedStore(db, config.feedTableName) } },
  );
  logger.info('Projection rebuilt', {
    ...report,
    eventsTable: config.eventsTableName,
    projectionTable: config.projectionTableName,
  });
  await close();
}

async function localEngine(
  dataDir: string,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const running = await readFile(join(dataDir, endpointsFile), 'utf8')
    .then((text) => JSON.parse(text) as { engineEndpoint: string })
    .catch(() => undefined);
  if (running && (await answers(running.engineEndpoint))) {
    return { endpoint: running.engineEndpoint, close: async () => {} };
  }
  const engine = await startEngine({
    path: join(dataDir, 'dynamodb'),
    host: '127.0.0.1',
    port: 0,
    streams: [],
    onStreamRecords: () => {},
  });
  return { endpoint: engine.endpoint, close: () => engine.close() };
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

main().catch((error: unknown) => {
  logger.error('Rebuild failed', { error: error as Error });
  process.exit(1);
});
