import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Stores } from '#app/stores.ts';
import { requiredEnv } from '#shared/env.ts';
import { createDocumentClient, createDynamoClient } from './dynamo-client.ts';
import { HistoryStore } from './history-store.ts';
import { LogStore } from './log-store.ts';
import { ProjectionStore } from './projection-store.ts';
import { SnapshotStore } from './snapshot-store.ts';
import {
  historyTable,
  idempotencyTable,
  logTable,
  projectionTable,
  snapshotTable,
} from './tables.ts';

/**
 * Stores for a function, built at module load from the table names its deployment sets. Most
 * functions read a point in the order from all three tables, so they come together; the few
 * that need less ask for less, and so need only those tables' variables.
 */
const dynamoClient = createDynamoClient();
const documentClient = createDocumentClient(dynamoClient);

export function storesFromEnv(): Stores {
  return {
    log: logStoreFromEnv(),
    history: new HistoryStore(documentClient, requiredEnv(historyTable.tableNameVariable)),
    projection: projectionStoreFromEnv(),
  };
}

/** The projection alone, for functions that only look at the projector's progress. */
export function projectionStoreFromEnv(): ProjectionStore {
  return new ProjectionStore(documentClient, requiredEnv(projectionTable.tableNameVariable));
}

/** The log alone, for functions that only follow it. */
export function logStoreFromEnv(): LogStore {
  return new LogStore(documentClient, requiredEnv(logTable.tableNameVariable));
}

/** The snapshots of the whole configuration, for the functions that take or read them. */
export function snapshotStoreFromEnv(): SnapshotStore {
  return new SnapshotStore(documentClient, requiredEnv(snapshotTable.tableNameVariable));
}

/**
 * The write functions' Idempotency-Key records, kept by Powertools' idempotency on the stores'
 * client rather than one of its own: a function then builds one client at its cold start, opens
 * one pool of connections (a keyed write's first request does not pay a second TLS handshake),
 * and DynamoDB's throttling of this table is a StorageBusyError like any other table's.
 */
export function idempotencyRecordsFromEnv(): BasePersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName: requiredEnv(idempotencyTable.tableNameVariable),
    awsSdkV3Client: dynamoClient,
  });
}
