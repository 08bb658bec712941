import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  DynamoDBClient,
  type Projection,
  PutItemCommand,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { createTable } from '#local/create-tables.ts';
import type { TableDefinition } from '#store/tables.ts';

/** A low-level client on this run's engine (the embedded one, or DYNAMODB_ENDPOINT's). */
export const engineClient = new DynamoDBClient({});

export interface ScratchTableShape {
  readonly sortKey?: boolean;
  readonly localIndexes?: readonly { key: string; projection?: Projection }[];
  readonly globalIndexes?: readonly { key: string; projection?: Projection }[];
  readonly stream?: StreamViewType;
  /** The label is the whole name (a table in an engine of the test's own). */
  readonly exactName?: boolean;
  /** @default the run's engine */
  readonly client?: DynamoDBClient;
}

/**
 * A table of its own for one test: string keys `pk` (and `sk`), one index per listed attribute
 * (local: sorted by it; global: partitioned by it).
 */
export async function scratchTable(label: string, shape: ScratchTableShape = {}): Promise<string> {
  const { sortKey = true, localIndexes = [], globalIndexes = [], stream } = shape;
  const tableName = shape.exactName ? label : `${label}-${randomUUID().slice(0, 8)}`;
  const keyNames = ['pk', ...(sortKey ? ['sk'] : [])];
  const attributes = [...keyNames, ...[...localIndexes, ...globalIndexes].map(({ key }) => key)];
  const tableKey = keySchema('pk', sortKey ? 'sk' : undefined);
  await createTable(shape.client ?? engineClient, {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...new Set(attributes)].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: tableKey,
    LocalSecondaryIndexes: localIndexes.length
      ? localIndexes.map(({ key, projection }) => ({
          IndexName: `by-${key}`,
          KeySchema: keySchema('pk', key),
          Projection: projection ?? { ProjectionType: 'ALL' },
        }))
      : undefined,
    GlobalSecondaryIndexes: globalIndexes.length
      ? globalIndexes.map(({ key, projection }) => ({
          IndexName: `by-${key}`,
          KeySchema: keySchema(key),
          Projection: projection ?? { ProjectionType: 'ALL' },
        }))
      : undefined,
    StreamSpecification: stream ? { StreamEnabled: true, StreamViewType: stream } : undefined,
  });
  return tableName;
}

/** The definition of a scratch table with string keys `pk` and `sk` and no index. */
export function scratchDefinition(id: string, streamNewImages = false): TableDefinition {
  return {
    id,
    tableNameVariable: `${id.toUpperCase()}_TABLE_NAME`,
    defaultTableName: id.toLowerCase(),
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    localIndexes: [],
    globalIndexes: [],
    streamNewImages,
  };
}

function keySchema(partitionKey: string, sortKey?: string) {
  return [
    { AttributeName: partitionKey, KeyType: 'HASH' as const },
    ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : []),
  ];
}

export type Item = Record<string, AttributeValue>;

export const text = (value: string): AttributeValue => ({ S: value });

/** A string of exactly `bytes` UTF-8 bytes: three-byte characters, ASCII to make up the rest. */
export function utf8Text(bytes: number): string {
  return 'x'.repeat(bytes % 3) + '€'.repeat(Math.floor(bytes / 3));
}

export function put(tableName: string, item: Item) {
  return engineClient.send(new PutItemCommand({ TableName: tableName, Item: item }));
}

/** Expects the engine to refuse with DynamoDB's ValidationException and a message like this. */
export async function expectRefused(request: Promise<unknown>, message: RegExp) {
  const error = await request.then(
    () => undefined,
    (refusal: Error) => refusal,
  );
  expect(error, 'the engine accepted what DynamoDB refuses').toBeDefined();
  expect(error?.name).toBe('ValidationException');
  expect(error?.message).toMatch(message);
}
