import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import type { IndexDefinition, KeyAttribute, TableDefinition } from '#store/tables.ts';
import { streamViewTypeOf } from './stream-capture.ts';

/** The CreateTable request for a shared table definition (the local stack's and the tests'). */
export function createTableInput(
  definition: TableDefinition,
  tableName: string,
): CreateTableCommandInput {
  const keys = [
    definition.partitionKey,
    definition.sortKey,
    ...definition.localIndexes.map((index) => index.sortKey),
    ...definition.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ].filter((key): key is KeyAttribute => key !== undefined);
  const attributes = new Map(keys.map((key) => [key.name, key.type]));
  const tableKey = keySchema(definition.partitionKey, definition.sortKey);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: tableKey,
    LocalSecondaryIndexes: definition.localIndexes.length
      ? definition.localIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: keySchema(definition.partitionKey, index.sortKey),
          Projection: projectionOf(index),
        }))
      : undefined,
    GlobalSecondaryIndexes: definition.globalIndexes.length
      ? definition.globalIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: keySchema(index.partitionKey ?? definition.partitionKey, index.sortKey),
          Projection: projectionOf(index),
        }))
      : undefined,
    ...streamSpecification(definition),
  };
}

/** The stream as on AWS (an embedded engine without streams ignores it, and captures instead). */
function streamSpecification(definition: TableDefinition) {
  const viewType = streamViewTypeOf(definition);
  return viewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } } : {};
}

function projectionOf({ projection = { type: 'ALL' } }: IndexDefinition) {
  return projection.type === 'INCLUDE'
    ? { ProjectionType: projection.type, NonKeyAttributes: [...projection.attributes] }
    : { ProjectionType: projection.type };
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute) {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' as const },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

/** Creates each table that does not exist yet (existing tables are left as they are). */
export async function ensureTables(
  client: DynamoDBClient,
  tables: readonly { definition: TableDefinition; tableName: string }[],
): Promise<void> {
  for (const { definition, tableName } of tables) {
    await createTable(client, createTableInput(definition, tableName));
  }
}

/** Creates a table unless it exists, and returns once it takes requests. */
export async function createTable(
  client: DynamoDBClient,
  input: CreateTableCommandInput,
): Promise<void> {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await untilActive(client, String(input.TableName));
}

/** A new table takes requests once ACTIVE: at once on some engines, after seconds on AWS. */
async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const giveUpAt = Date.now() + 120_000;
  for (;;) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > giveUpAt)
      throw new Error(`Table ${tableName} is still ${table?.TableStatus}.`);
    await sleep(50);
  }
}
