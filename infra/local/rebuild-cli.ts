import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { catchUp } from '#app/projection.ts';
import { historyTable, logTable, projectionTable } from '#store/tables.ts';
import { configFromEnv, localStores, localTables, tableNameOf } from './config.ts';
import { ensureTables } from './create-tables.ts';
import { endpointsFile, engineDirectory } from './data-dir.ts';
import { startEngine } from './engine.ts';
import { inUseError, tryLockDataDir } from './instance-lock.ts';
import { verifyEngineFiles } from './leveldb-check.ts';
import { stackLogger as logger } from './stack-logger.ts';

/**
 * `npm run rebuild`: applies the whole log again to the history and the projection.
 * - With LOG_TABLE_NAME, HISTORY_TABLE_NAME and PROJECTION_TABLE_NAME set, against those tables
 *   wherever the AWS SDK points (your AWS account, or AWS_ENDPOINT_URL_DYNAMODB).
 * - Otherwise against the local stack's DATA_DIR: through the running local stack's engine, or
 *   by opening the data itself when none runs.
 */
async function main(): Promise<void> {
  const onAws = [logTable, historyTable, projectionTable].every(
    (table) => process.env[table.tableNameVariable],
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
  // A data folder from an older version may lack a table added since; the local stack would
  // create it on start, and so does this.
  if (!onAws) await ensureTables(client, localTables(config));
  const report = await catchUp(localStores(client, config), { from: 0 });
  logger.info('Projection rebuilt', {
    ...report,
    logTable: tableNameOf(config, logTable),
    projectionTable: tableNameOf(config, projectionTable),
  });
  await close();
}

/**
 * The engine of DATA_DIR: the running local stack's when one holds the folder, else one opened
 * here, holding the folder meanwhile.
 */
async function localEngine(
  dataDir: string,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const lock = await tryLockDataDir(dataDir);
  if (!lock) return runningEngine(dataDir);
  await verifyEngineFiles(engineDirectory(dataDir));
  const engine = await startEngine({
    path: engineDirectory(dataDir),
    host: '127.0.0.1',
    port: 0,
    streams: [],
    onStreamRecords: () => {},
  });
  return {
    endpoint: engine.endpoint,
    close: async () => {
      await engine.close();
      await lock.release();
    },
  };
}

async function runningEngine(
  dataDir: string,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const running = await readFile(join(dataDir, endpointsFile), 'utf8')
    .then((text) => JSON.parse(text) as { engineEndpoint: string })
    .catch(() => undefined);
  if (running && (await answers(running.engineEndpoint))) {
    return { endpoint: running.engineEndpoint, close: async () => {} };
  }
  throw await inUseError(dataDir);
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
