import type { EngineAnswer, EngineCall, EngineLayer, EngineRequest } from './engine-layers.ts';
import { type Item, itemSize } from './item-size.ts';
import { expressionRefusal, itemRefusal, keyRefusal, maxPageBytes } from './strict-rules.ts';
import {
  keyAttributeNames,
  type TableSchema,
  type TableSchemaOf,
  TableSchemas,
} from './table-schemas.ts';

const tableChanges = new Set(['CreateTable', 'DeleteTable', 'UpdateTable']);
const keyedOperations = new Set(['UpdateItem', 'DeleteItem', 'GetItem']);
const pagedReads = new Set(['Query', 'Scan']);

type WriteRequest = { PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } };

/**
 * The engine layer that refuses what DynamoDB refuses and dynalite lets through (the rules are
 * in strict-rules.ts), and ends Query and Scan pages at 1 MB of data read, counted DynamoDB's way.
 */
export function strictLimits(engine: EngineCall): EngineLayer {
  const schemas = new TableSchemas(engine);
  const schemaOf: TableSchemaOf = (tableName) => schemas.of(tableName);
  return {
    operations: new Set([
      ...tableChanges,
      ...keyedOperations,
      ...pagedReads,
      'PutItem',
      'BatchWriteItem',
    ]),
    async handle(request, next) {
      const { operation, input } = request;
      if (tableChanges.has(operation)) {
        schemas.forget(String(input.TableName));
        return next(request).finally(() => schemas.forget(String(input.TableName)));
      }
      const refusal = expressionRefusal(input) ?? (await writeRefusal(request, schemaOf));
      if (refusal) return refusal;
      const answer = await next(request);
      return pagedReads.has(operation) ? limitPage(request, answer, engine, schemaOf) : answer;
    },
  };
}

async function writeRefusal(
  { operation, input }: EngineRequest,
  schemaOf: TableSchemaOf,
): Promise<EngineAnswer | undefined> {
  if (operation === 'BatchWriteItem') return batchRefusal(input, schemaOf);
  const schema = await schemaOf(String(input.TableName));
  // An unknown table, or a malformed request: the engine gives DynamoDB's own answer.
  if (!schema) return undefined;
  if (operation === 'PutItem' && isItem(input.Item)) return itemRefusal(input.Item, schema);
  if (keyedOperations.has(operation) && isItem(input.Key)) return keyRefusal(input.Key, schema);
  return undefined;
}

async function batchRefusal(
  input: Record<string, unknown>,
  schemaOf: TableSchemaOf,
): Promise<EngineAnswer | undefined> {
  const tables = Object.entries((input.RequestItems ?? {}) as Record<string, WriteRequest[]>);
  for (const [tableName, requests] of tables) {
    const schema = await schemaOf(tableName);
    if (!schema || !Array.isArray(requests)) continue;
    const refusal = requests.map((request) => batchItemRefusal(request, schema)).find(Boolean);
    if (refusal) return refusal;
  }
  return undefined;
}

function batchItemRefusal(
  { PutRequest, DeleteRequest }: WriteRequest,
  schema: TableSchema,
): EngineAnswer | undefined {
  if (isItem(PutRequest?.Item)) return itemRefusal(PutRequest.Item, schema);
  if (isItem(DeleteRequest?.Key)) return keyRefusal(DeleteRequest.Key, schema);
  return undefined;
}

function isItem(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Page {
  Items?: Item[];
  Count?: number;
  ScannedCount?: number;
  LastEvaluatedKey?: Item;
}

/**
 * DynamoDB stops reading once a page holds 1 MB of items (whole items, whatever the projection;
 * the item that reaches the mark is the page's last). Pages the engine made longer are cut there,
 * and continue after that item. Pages with a filter are left as they are: the items the filter
 * dropped count too, and only the engine saw them.
 */
async function limitPage(
  request: EngineRequest,
  answer: EngineAnswer,
  engine: EngineCall,
  schemaOf: TableSchemaOf,
): Promise<EngineAnswer> {
  const { input } = request;
  if (answer.statusCode !== 200 || input.Select === 'COUNT' || hasFilter(input)) return answer;
  const page = JSON.parse(answer.body) as Page;
  const items = page.Items ?? [];
  const whole = isProjected(input) ? await wholeItems(request, engine) : items;
  const length = pageLength(whole);
  const schema = await schemaOf(String(input.TableName));
  const last = whole[length - 1];
  if (length >= items.length || !schema || !last) return answer;
  const lastKey = pick(last, keyAttributeNames(schema, indexOf(schema, input.IndexName)));
  return {
    statusCode: 200,
    // The engine's checksum was of the longer page.
    headers: withoutChecksum(answer.headers),
    body: JSON.stringify({
      ...page,
      Items: items.slice(0, length),
      Count: length,
      ScannedCount: length,
      LastEvaluatedKey: lastKey,
    }),
  };
}

function hasFilter(input: Record<string, unknown>): boolean {
  return Boolean(input.FilterExpression || input.ScanFilter || input.QueryFilter);
}

function isProjected(input: Record<string, unknown>): boolean {
  return Boolean(input.ProjectionExpression || input.AttributesToGet);
}

/** The same page without its projection: the items as DynamoDB reads (and counts) them. */
async function wholeItems(request: EngineRequest, engine: EngineCall): Promise<Item[]> {
  const {
    ProjectionExpression: _projection,
    AttributesToGet: _attributes,
    Select: _select,
    ExpressionAttributeNames: names,
    ...rest
  } = request.input;
  const stillUsed = Object.entries((names ?? {}) as Record<string, string>).filter(
    ([placeholder]) => String(rest.KeyConditionExpression ?? '').includes(placeholder),
  );
  const input = stillUsed.length
    ? { ...rest, ExpressionAttributeNames: Object.fromEntries(stillUsed) }
    : rest;
  const answer = await engine({ operation: request.operation, input });
  return answer.statusCode === 200 ? ((JSON.parse(answer.body) as Page).Items ?? []) : [];
}

function pageLength(items: readonly Item[]): number {
  let read = 0;
  for (const [position, item] of items.entries()) {
    read += itemSize(item);
    if (read >= maxPageBytes) return position + 1;
  }
  return items.length;
}

function indexOf(schema: TableSchema, indexName: unknown) {
  return [...schema.localIndexes, ...schema.globalIndexes].find(
    (index) => index.indexName === indexName,
  );
}

function pick(item: Item, names: readonly string[]): Item {
  return Object.fromEntries(names.flatMap((name) => (item[name] ? [[name, item[name]]] : [])));
}

function withoutChecksum(headers: EngineAnswer['headers']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'x-amz-crc32'),
  );
}
