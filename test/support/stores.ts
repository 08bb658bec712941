import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Stores } from '#app/stores.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { ensureTables } from '#local/create-tables.ts';
import type { Item } from '#local/item-size.ts';
import { SequenceNumbers, streamRecord } from '#local/stream-capture.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { toEventItem } from '#store/event-codec.ts';
import { EventStore } from '#store/event-store.ts';
import { FeedStore } from '#store/feed-store.ts';
import { ProjectionStore } from '#store/projection-store.ts';
import { eventsTable, feedTable, projectionTable, tableDefinitions } from '#store/tables.ts';

/** The tables this test file's environment names (see environment.ts), in the shared engine. */
export function testTableNames() {
  return {
    events: process.env[eventsTable.tableNameVariable] ?? '',
    projection: process.env[projectionTable.tableNameVariable] ?? '',
    feed: process.env[feedTable.tableNameVariable] ?? '',
  };
}

export async function createTestTables(): Promise<void> {
  await ensureTables(
    new DynamoDBClient({}),
    tableDefinitions.map((definition) => ({
      definition,
      tableName: process.env[definition.tableNameVariable] ?? '',
    })),
  );
}

export function testStores(): Stores {
  const db = createDocumentClient();
  const names = testTableNames();
  return {
    events: new EventStore(db, names.events),
    projection: new ProjectionStore(db, names.projection),
  };
}

/** The change feed of this test file's environment. */
export function testFeed(): FeedStore {
  return new FeedStore(createDocumentClient(), testTableNames().feed);
}

/** Every event of the table, for comparing folds with the projection. */
export async function allEvents(stores: Stores): Promise<ConfigEvent[]> {
  const events: ConfigEvent[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await stores.events.scanSegment(0, 1, startKey);
    events.push(...page.events);
    startKey = page.nextKey;
  } while (startKey);
  return events;
}

const sequence = new SequenceNumbers();

/** The stream records DynamoDB would emit for these events being appended. */
export function streamRecordsOf(events: readonly ConfigEvent[]): DynamoDBRecord[] {
  const table = {
    tableName: testTableNames().events,
    definition: eventsTable,
    viewType: 'NEW_IMAGE' as const,
  };
  return events.map((event) =>
    streamRecord(
      table,
      'INSERT',
      { newImage: marshall(toEventItem(event)) as Item },
      sequence.next(),
    ),
  );
}

/** A second, empty projection table in the same engine, e.g. to rebuild into. */
export async function freshProjection(label: string): Promise<ProjectionStore> {
  const tableName = `${testTableNames().projection}-${label}`;
  await ensureTables(new DynamoDBClient({}), [{ definition: projectionTable, tableName }]);
  return new ProjectionStore(createDocumentClient(), tableName);
}

/** A second, empty change feed table in the same engine. */
export async function freshFeed(): Promise<FeedStore> {
  const tableName = `${testTableNames().feed}-${randomUUID().slice(0, 8)}`;
  await ensureTables(new DynamoDBClient({}), [{ definition: feedTable, tableName }]);
  return new FeedStore(createDocumentClient(), tableName);
}
