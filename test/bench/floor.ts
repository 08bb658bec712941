import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Commit, Revision } from '#domain/events.ts';
import { limits } from '#domain/limits.ts';
import { logPartition, toLogItem } from '#store/log-codec.ts';

/**
 * The storage floor: the DynamoDB calls the store layer makes (functions/store/*.ts), issued bare
 * with the low-level client (no document marshalling, no decoding, no HTTP API), with the same
 * parameters and item sizes.
 */

type Raw = Record<string, AttributeValue>;

export interface FloorTables {
  readonly log: string;
  readonly history: string;
  readonly projection: string;
}

const progressKey: Raw = { view: { S: 'progress' }, name: { S: 'projector' } };
const entryKey = (name: string): Raw => ({ view: { S: 'entries' }, name: { S: name } });
const logCondition = '#log = :log';

/** The projector's progress (GetItem, strongly consistent), 0 before any. */
export async function bareProgress(dynamo: DynamoDBClient, table: string): Promise<Revision> {
  const result = await dynamo.send(
    new GetItemCommand({ TableName: table, Key: progressKey, ConsistentRead: true }),
  );
  return Number(result.Item?.revision?.N ?? 0);
}

/** A name's projected item (GetItem, strongly consistent). */
export async function bareEntry(dynamo: DynamoDBClient, table: string, name: string) {
  const result = await dynamo.send(
    new GetItemCommand({ TableName: table, Key: entryKey(name), ConsistentRead: true }),
  );
  return result.Item;
}

/** The log from the commit at the progress on, as a write's view reads it: its tail. */
export async function bareTail(dynamo: DynamoDBClient, table: string, progress: Revision) {
  const result = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: `${logCondition} AND #revision > :after`,
      ExpressionAttributeNames: { '#log': 'log', '#revision': 'revision' },
      ExpressionAttributeValues: {
        ':log': { S: logPartition },
        ':after': { N: String(Math.max(0, progress - 1)) },
      },
      Limit: limits.tailMaxCommits + 1,
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

/** The newest commit (Query, Limit 1, newest first): where lists and time travel start. */
export async function bareNewest(dynamo: DynamoDBClient, table: string) {
  return query(dynamo, {
    TableName: table,
    KeyConditionExpression: logCondition,
    ExpressionAttributeNames: { '#log': 'log' },
    ExpressionAttributeValues: { ':log': { S: logPartition } },
    ScanIndexForward: false,
    Limit: 1,
    ConsistentRead: true,
  });
}

/** The commit at the next revision, unless that revision is taken. */
export async function bareAppend(dynamo: DynamoDBClient, table: string, commit: Commit) {
  await dynamo.send(
    new PutItemCommand({
      TableName: table,
      Item: marshall(toLogItem(commit)),
      ConditionExpression: 'attribute_not_exists(#revision)',
      ExpressionAttributeNames: { '#revision': 'revision' },
    }),
  );
}

/** The projector's work for one commit of one set, then its progress moved over it. */
export async function bareProjectCommit(
  dynamo: DynamoDBClient,
  tables: FloorTables,
  commit: Commit,
) {
  for (const event of commit.events) {
    const item = marshall({ ...event });
    await bareRecordHistory(dynamo, tables.history, item);
    await dynamo.send(projectionUpdate(tables.projection, item));
  }
  await dynamo.send(
    progressUpdate(tables.projection, {
      revision: { N: String(commit.revision) },
      occurredAt: { S: commit.occurredAt },
      from: { N: String(commit.revision - 1) },
    }),
  );
}

/** One history item, as the projector writes it: a BatchWriteItem of one. */
export async function bareRecordHistory(dynamo: DynamoDBClient, table: string, item: Raw) {
  await dynamo.send(
    new BatchWriteItemCommand({ RequestItems: { [table]: [{ PutRequest: { Item: item } }] } }),
  );
}

/** The projection's revision-guarded update of a name to a set, from its history item. */
export function projectionUpdate(table: string, set: Raw): UpdateItemCommand {
  if (set.type?.S !== 'ConfigValueSet') throw new TypeError('The floor projects sets only.');
  return new UpdateItemCommand({
    TableName: table,
    Key: { view: { S: 'entries' }, name: set.name as AttributeValue },
    ConditionExpression: 'attribute_not_exists(#revision) OR #revision < :revision',
    UpdateExpression:
      'SET #version = :version, #revision = :revision, updatedAt = :at, updatedBy = :actor, deleted = :deleted, #value = :value',
    ExpressionAttributeNames: { '#version': 'version', '#revision': 'revision', '#value': 'value' },
    ExpressionAttributeValues: {
      ':version': set.version as AttributeValue,
      ':revision': set.revision as AttributeValue,
      ':at': set.occurredAt as AttributeValue,
      ':actor': set.actor as AttributeValue,
      ':deleted': { BOOL: false },
      ':value': set.value as AttributeValue,
    },
  });
}

/**
 * The progress moved to a revision: from exactly `from` (a batch right after the progress), or
 * only upwards (a catch-up step) when `from` is absent.
 */
export function progressUpdate(
  table: string,
  to: { revision: AttributeValue; occurredAt: AttributeValue; from?: AttributeValue },
): UpdateItemCommand {
  return new UpdateItemCommand({
    TableName: table,
    Key: progressKey,
    UpdateExpression: 'SET #revision = :to, occurredAt = :at',
    ConditionExpression: `attribute_not_exists(#revision) OR #revision ${to.from ? '= :from' : '< :to'}`,
    ExpressionAttributeNames: { '#revision': 'revision' },
    ExpressionAttributeValues: {
      ...(to.from ? { ':from': to.from } : {}),
      ':to': to.revision,
      ':at': to.occurredAt,
    },
  });
}

/** A name's newest event at or before a revision (Query, Limit 1, newest first). */
export function bareHistoryAt(
  dynamo: DynamoDBClient,
  table: string,
  name: string,
  revision: Revision,
) {
  return query(dynamo, {
    TableName: table,
    KeyConditionExpression: '#name = :name AND #revision <= :revision',
    ExpressionAttributeNames: { '#name': 'name', '#revision': 'revision' },
    ExpressionAttributeValues: { ':name': { S: name }, ':revision': { N: String(revision) } },
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
  range: { after: Revision; through: Revision },
  limit: number,
) {
  return query(dynamo, {
    TableName: table,
    KeyConditionExpression: '#name = :name AND #revision BETWEEN :first AND :through',
    ExpressionAttributeNames: { '#name': 'name', '#revision': 'revision' },
    ExpressionAttributeValues: {
      ':name': { S: name },
      ':first': { N: String(range.after + 1) },
      ':through': { N: String(range.through) },
    },
    Limit: limit + 1,
    ConsistentRead: true,
  });
}

/** The query behind a page of `limit` names under a prefix, from the projection. */
export function bareNamesPage(
  dynamo: DynamoDBClient,
  table: string,
  prefix: string,
  limit: number,
) {
  return query(dynamo, {
    TableName: table,
    KeyConditionExpression: '#view = :view AND begins_with(#name, :prefix)',
    ExpressionAttributeNames: { '#view': 'view', '#name': 'name' },
    ExpressionAttributeValues: { ':view': { S: 'entries' }, ':prefix': { S: prefix } },
    Limit: limit + 1,
    ConsistentRead: true,
  });
}

async function query(dynamo: DynamoDBClient, input: QueryCommandInput): Promise<Raw[]> {
  const result = await dynamo.send(new QueryCommand(input));
  const items = result.Items ?? [];
  if (items.length === 0) throw new Error(`The floor query on ${input.TableName} found nothing.`);
  return items;
}
