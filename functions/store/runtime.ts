import { requiredEnv } from '#shared/env.ts';
import { createDocumentClient } from './dynamo-client.ts';
import { EventStore } from './event-store.ts';
import { FeedStore } from './feed-store.ts';
import { ProjectionStore } from './projection-store.ts';
import { eventsTable, feedTable, idempotencyTable, projectionTable } from './tables.ts';

/**
 * Stores for a function, built at module load from the table names its deployment sets. Each
 * function asks only for the stores it uses, so it needs only those tables' variables.
 */
const documentClient = createDocumentClient();

export function eventStoreFromEnv(): EventStore {
  return new EventStore(documentClient, requiredEnv(eventsTable.tableNameVariable));
}

export function projectionStoreFromEnv(): ProjectionStore {
  return new ProjectionStore(documentClient, requiredEnv(projectionTable.tableNameVariable));
}

export function feedStoreFromEnv(): FeedStore {
  return new FeedStore(documentClient, requiredEnv(feedTable.tableNameVariable));
}

/** The idempotency utility reaches its table itself; the write functions only name it. */
export function idempotencyTableNameFromEnv(): string {
  return requiredEnv(idempotencyTable.tableNameVariable);
}
