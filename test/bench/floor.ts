import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { ConfigValueSet } from '#domain/events.ts';
import { eventsTable, projectionTable } from '#store/tables.ts';
import { eventItem } from './fixtures.ts';

/**
 * The storage floor: the DynamoDB calls the service makes, issued bare with the low-level client
 * (no document marshalling, no decoding, no HTTP API), with the same parameters as the store.
 */

const timeIndex = eventsTable.localIndexes[0].indexName;
const listIndex = projectionTable.globalIndexes[0].indexName;

/** The head query a write starts with; returns the head's version (0 when none). */
export async function bareReadHead(dynamo: DynamoDBClient, table: string, name: string) {
  const result = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: '#name = :name',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: { ':name': { S: name } },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return Number(result.Items?.[0]?.version?.N ?? 0);
}

/** The conditional append. */
export async function barePut(dynamo: DynamoDBClient, table: string, event: ConfigValueSet) {
  await dynamo.send(
    new PutItemCommand({
      TableName: table,
      Item: eventItem(event),
      ConditionExpression: 'attribute_not_exists(#version)',
      ExpressionAttributeNames: { '#version': 'version' },
    }),
  );
}

/** The projector's version-guarded update of a listed entry, for one set event. */
export async function bareProject(dynamo: DynamoDBClient, table: string, event: ConfigValueSet) {
  await dynamo.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { name: { S: event.name } },
      ConditionExpression: 'attribute_not_exists(#version) OR #version < :version',
      UpdateExpression:
        'SET #version = :version, updatedAt = :at, updatedBy = :actor, deleted = :deleted, #value = :value, #listKey = :listed',
      ExpressionAttributeNames: { '#version': 'version', '#value': 'value', '#listKey': 'listKey' },
      ExpressionAttributeValues: marshall({
        ':version': event.version,
        ':at': event.occurredAt,
        ':actor': event.actor,
        ':deleted': false,
        ':value': event.value,
        ':listed': 'entry',
      }),
    }),
  );
}

/** The projection read of GET /config/{name}. */
export async function bareGet(dynamo: DynamoDBClient, table: string, name: string) {
  const result = await dynamo.send(
    new GetItemCommand({ TableName: table, Key: { name: { S: name } }, ConsistentRead: true }),
  );
  if (!result.Item) throw new Error(`The floor read found no item for ${name}.`);
}

/** The time-travel query: latest event at or before an instant, on the time index. */
export function bareReadAt(dynamo: DynamoDBClient, table: string, name: string, instant: string) {
  return query(dynamo, {
    TableName: table,
    IndexName: timeIndex,
    KeyConditionExpression: '#name = :name AND #occurredAt <= :instant',
    ExpressionAttributeNames: { '#name': 'name', '#occurredAt': 'occurredAt' },
    ExpressionAttributeValues: { ':name': { S: name }, ':instant': { S: instant } },
    ScanIndexForward: false,
    Limit: 1,
    ConsistentRead: true,
  });
}

/** The query behind a history page of `limit` events (one more tells whether a page follows). */
export function bareHistoryPage(
  dynamo: DynamoDBClient,
  table: string,
  name: string,
  limit: number,
) {
  return query(dynamo, {
    TableName: table,
    KeyConditionExpression: '#name = :name AND #version > :after',
    ExpressionAttributeNames: { '#name': 'name', '#version': 'version' },
    ExpressionAttributeValues: { ':name': { S: name }, ':after': { N: '0' } },
    Limit: limit + 1,
    ConsistentRead: true,
  });
}

/** The query behind a list page of `limit` entries under a prefix. */
export function bareListPage(dynamo: DynamoDBClient, table: string, prefix: string, limit: number) {
  return query(dynamo, {
    TableName: table,
    IndexName: listIndex,
    KeyConditionExpression: '#listKey = :listed AND begins_with(#name, :prefix)',
    ExpressionAttributeNames: { '#listKey': 'listKey', '#name': 'name' },
    ExpressionAttributeValues: { ':listed': { S: 'entry' }, ':prefix': { S: prefix } },
    Limit: limit + 1,
  });
}

async function query(dynamo: DynamoDBClient, input: QueryCommandInput): Promise<number> {
  const result = await dynamo.send(new QueryCommand(input));
  const count = result.Items?.length ?? 0;
  if (count === 0) throw new Error(`The floor query on ${input.TableName} found nothing.`);
  return count;
}
