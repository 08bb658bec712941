import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { catchUp } from '#app/projection.ts';
import type { Stores } from '#app/stores.ts';
import type { Commit } from '#domain/events.ts';
import { ensureTables } from '#local/create-tables.ts';
import type { Item } from '#local/item-size.ts';
import { SequenceNumbers, streamRecord } from '#local/stream-capture.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { HistoryStore } from '#store/history-store.ts';
import { toLogItem } from '#store/log-codec.ts';
import { LogStore } from '#store/log-store.ts';
import { ProjectionStore } from '#store/projection-store.ts';
import {
  historyTable,
  logTable,
  projectionTable,
  type TableDefinition,
  tableDefinitions,
} from '#store/tables.ts';

/** The name this test file's environment gives a shared table (see environment.ts). */
export function testTableName(definition: TableDefinition): string {
  return process.env[definition.tableNameVariable] ?? '';
}

export async function createTestTables(): Promise<void> {
  await ensureTables(
    new DynamoDBClient({}),
    tableDefinitions.map((definition) => ({ definition, tableName: testTableName(definition) })),
  );
}

export function testStores(): Stores {
  const db = createDocumentClient();
  return {
    log: new LogStore(db, testTableName(logTable)),
    history: new HistoryStore(db, testTableName(historyTable)),
    projection: new ProjectionStore(db, testTableName(projectionTable)),
  };
}

/**
 * The same log with an empty history and projection of their own, e.g. to rebuild into and
 * compare with the live ones.
 */
export async function freshViews(stores: Stores): Promise<Stores> {
  const suffix = randomUUID().slice(0, 8);
  const history = `${testTableName(historyTable)}-${suffix}`;
  const projection = `${testTableName(projectionTable)}-${suffix}`;
  await ensureTables(new DynamoDBClient({}), [
    { definition: historyTable, tableName: history },
    { definition: projectionTable, tableName: projection },
  ]);
  const db = createDocumentClient();
  return {
    log: stores.log,
    history: new HistoryStore(db, history),
    projection: new ProjectionStore(db, projection),
  };
}

/** Every commit of the log, in revision order. */
export async function allCommits(stores: Pick<Stores, 'log'>): Promise<Commit[]> {
  const commits: Commit[] = [];
  for (;;) {
    const read = await stores.log.readAfter(commits.at(-1)?.revision ?? 0, { maxCommits: 1000 });
    commits.push(...read.commits);
    if (read.reachedEnd || read.commits.length === 0) return commits;
  }
}

const sequence = new SequenceNumbers();

/** The stream records DynamoDB would emit for these commits being appended to the log. */
export function streamRecordsOf(commits: readonly Commit[]): DynamoDBRecord[] {
  const table = {
    tableName: testTableName(logTable),
    definition: logTable,
    viewType: 'NEW_IMAGE' as const,
  };
  return commits.map((commit) =>
    streamRecord(
      table,
      'INSERT',
      { newImage: marshall(toLogItem(commit)) as Item },
      sequence.next(),
    ),
  );
}

/**
 * The projector as the stream would run it, in the background: applies whatever the log holds,
 * again and again, until stopped. Tests that write more than a tail's worth of commits keep it
 * running, as production does.
 */
export function keepProjecting(stores: Stores): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await catchUp(stores);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await catchUp(stores);
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
