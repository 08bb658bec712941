import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Stores } from '#app/stores.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { HistoryStore } from '#store/history-store.ts';
import { LogStore } from '#store/log-store.ts';
import { ProjectionStore } from '#store/projection-store.ts';
import { SnapshotStore } from '#store/snapshot-store.ts';
import {
  historyTable,
  logTable,
  projectionTable,
  snapshotTable,
  type TableDefinition,
  tableDefinitions,
} from '#store/tables.ts';
import { type CapturedTable, streamViewTypeOf } from './stream-capture.ts';

/** The local stack's settings, all from environment variables (documented in the README). */
export interface LocalStackConfig {
  /** Always loopback: the local stack has no authentication. */
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Where the engine keeps its data; undefined keeps it in memory (tests). */
  readonly dataDir: string | undefined;
  /** Each write answered only once on disk (SYNC_WRITES, default true). */
  readonly syncWrites: boolean;
  /** The embedded engine's port; 0 picks a free one. */
  readonly enginePort: number;
  /** The push server's port (AppSync Events' protocol, publish and WebSocket); 0 picks a free one. */
  readonly pushPort: number;
  /**
   * Another engine to use instead of the embedded one (Amazon DynamoDB Local, LocalStack…):
   * its tables are created there, and the projector is fed from its Streams API.
   */
  readonly dynamodbEndpoint: string | undefined;
  /** Each shared table's name, keyed by the variable that carries it to the handlers. */
  readonly tableNames: Readonly<Record<string, string>>;
  readonly healthMaxLagMs: number;
  /**
   * Where each change's event is appended, as EventBridge would deliver it (CHANGE_EVENTS_FILE,
   * default `<DATA_DIR>/change-events.jsonl`); none in memory unless the variable names one.
   */
  readonly changeEventsFile: string | undefined;
  /**
   * Every function's deadline instead of its deployed timeout (FUNCTION_TIMEOUT_MS): lets tests
   * see an interrupted request's idempotency key released in a second instead of ten.
   */
  readonly functionTimeoutMs: number | undefined;
  /** How often the snapshot taker runs, as the schedule runs it on AWS (SNAPSHOT_INTERVAL_MS). */
  readonly snapshotIntervalMs: number;
  readonly stream: {
    readonly batchSize: number;
    readonly maxRetries: number;
    readonly retryDelayMs: number;
    /** With DYNAMODB_ENDPOINT: pause after an empty read of a shard. */
    readonly pollIntervalMs: number;
  };
}

/** A shared table's name on this local stack. */
export function tableNameOf(config: LocalStackConfig, definition: TableDefinition): string {
  return config.tableNames[definition.tableNameVariable] ?? definition.defaultTableName;
}

/** Every shared table with its local name: what the local stack and the rebuild create. */
export function localTables(config: LocalStackConfig) {
  return tableDefinitions.map((definition) => ({
    definition,
    tableName: tableNameOf(config, definition),
  }));
}

/** The stores of this local stack's tables, through a client of its engine. */
export function localStores(client: DynamoDBClient, config: LocalStackConfig): Stores {
  const db = createDocumentClient(client);
  return {
    log: new LogStore(db, tableNameOf(config, logTable)),
    history: new HistoryStore(db, tableNameOf(config, historyTable)),
    projection: new ProjectionStore(db, tableNameOf(config, projectionTable)),
  };
}

/** The snapshots of this local stack, and the log they fold. */
export function localSnapshotStores(client: DynamoDBClient, config: LocalStackConfig) {
  const db = createDocumentClient(client);
  return {
    log: new LogStore(db, tableNameOf(config, logTable)),
    snapshots: new SnapshotStore(db, tableNameOf(config, snapshotTable)),
  };
}

/** The tables whose definition asks for a stream, with the view type their records carry. */
export function streamedTables(config: LocalStackConfig): CapturedTable[] {
  return localTables(config).flatMap(({ definition, tableName }) => {
    const viewType = streamViewTypeOf(definition);
    return viewType ? [{ tableName, definition, viewType }] : [];
  });
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): LocalStackConfig {
  return {
    host: '127.0.0.1',
    port: integer(env, 'PORT', 4000, 0, 65535),
    dataDir: env.DATA_DIR === ':memory:' ? undefined : resolve(env.DATA_DIR || '.data'),
    enginePort: integer(env, 'ENGINE_PORT', 0, 0, 65535),
    pushPort: integer(env, 'PUSH_PORT', 4001, 0, 65535),
    syncWrites: boolean(env, 'SYNC_WRITES', true),
    dynamodbEndpoint: endpoint(env, 'DYNAMODB_ENDPOINT'),
    tableNames: Object.fromEntries(
      tableDefinitions.map((table) => [
        table.tableNameVariable,
        env[table.tableNameVariable] || table.defaultTableName,
      ]),
    ),
    healthMaxLagMs: integer(env, 'HEALTH_MAX_LAG_MS', 1000, 1, 60_000),
    changeEventsFile: changeEventsFileOf(env),
    functionTimeoutMs: optionalInteger(env, 'FUNCTION_TIMEOUT_MS', 100, 900_000),
    snapshotIntervalMs: integer(env, 'SNAPSHOT_INTERVAL_MS', 60_000, 100, 3_600_000),
    stream: {
      batchSize: integer(env, 'STREAM_BATCH_SIZE', 100, 1, 10_000),
      maxRetries: integer(env, 'STREAM_MAX_RETRIES', 3, 0, 100),
      retryDelayMs: integer(env, 'STREAM_RETRY_DELAY_MS', 100, 0, 60_000),
      pollIntervalMs: integer(env, 'STREAM_POLL_INTERVAL_MS', 250, 10, 60_000),
    },
  };
}

/** Where change events go, unless CHANGE_EVENTS_FILE says: beside the data, not in memory. */
export const changeEventsFileName = 'change-events.jsonl';

function changeEventsFileOf(env: NodeJS.ProcessEnv): string | undefined {
  if (env.CHANGE_EVENTS_FILE) return resolve(env.CHANGE_EVENTS_FILE);
  if (env.DATA_DIR === ':memory:') return undefined;
  return join(resolve(env.DATA_DIR || '.data'), changeEventsFileName);
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new ConfigurationError(`${name} must be true or false, not '${raw}'.`);
}

function optionalInteger(env: NodeJS.ProcessEnv, name: string, min: number, max: number) {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : integer(env, name, min, min, max);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(
      `${name} must be a whole number from ${min} to ${max}, not '${raw}'.`,
    );
  }
  return value;
}

function endpoint(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
    throw new ConfigurationError(`${name} must be an http(s) URL, not '${raw}'.`);
  }
  return raw;
}
