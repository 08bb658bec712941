import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import type { TableDefinition } from '#store/tables.ts';
import type { EngineCall, EngineLayer, EngineRequest } from './engine-layers.ts';
import { type Item, itemSize } from './item-size.ts';
import { KeyLocks } from './key-locks.ts';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export type ChangeName = 'INSERT' | 'MODIFY' | 'REMOVE';

export interface CapturedTable {
  readonly tableName: string;
  readonly definition: TableDefinition;
  /** What each record carries, as the table's StreamSpecification would say. */
  readonly viewType: StreamViewType;
}

/** The view type a shared table's stream has (the CDK table and create-tables use the same). */
export function streamViewTypeOf(definition: TableDefinition): StreamViewType | undefined {
  return definition.streamNewImages ? 'NEW_IMAGE' : undefined;
}

interface Write {
  readonly table: CapturedTable;
  readonly key: Item;
}

/**
 * DynamoDB Streams for an engine that has none. Every write to a captured table is serialised
 * with the other writes to the same item; the item is read before and after it, and the record
 * DynamoDB Streams would write is emitted (per "Change data capture for DynamoDB Streams",
 * Amazon DynamoDB Developer Guide, and the StreamRecord API reference):
 * - INSERT when an item appears, MODIFY when an existing item changes (a put that overwrites it,
 *   an UpdateItem), REMOVE when it is deleted;
 * - nothing for a write that leaves the item as it was (an identical put or update, a delete of
 *   a missing item), nor for a failed one (a condition not met);
 * - one record per item a BatchWriteItem wrote.
 * Records are emitted before the writer gets its answer, so no acknowledged write is missed while
 * the process lives; after a crash, the start-up rebuild covers the gap.
 */
export function streamCapture(
  engine: EngineCall,
  tables: readonly CapturedTable[],
  emit: (records: DynamoDBRecord[]) => void,
): EngineLayer {
  const captured = new Map(tables.map((table) => [table.tableName, table]));
  const locks = new KeyLocks();
  const sequence = new SequenceNumbers();
  return {
    operations: new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']),
    async handle(request, next) {
      const writes = writesOf(request, captured);
      if (writes.length === 0) return next(request);
      return locks.run(writes.map(lockName), async () => {
        const before = await readItems(engine, writes);
        const answer = await next(request);
        if (answer.statusCode !== 200) return answer;
        const after = await readItems(engine, writes);
        const records = writes.flatMap(({ table }, position) =>
          changeRecords(table, before[position], after[position], sequence),
        );
        if (records.length > 0) emit(records);
        return answer;
      });
    },
  };
}

function writesOf(
  { operation, input }: EngineRequest,
  captured: ReadonlyMap<string, CapturedTable>,
): Write[] {
  type WriteRequest = { PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } };
  const requests: { tableName: string; item?: Item; key?: Item }[] =
    operation === 'BatchWriteItem'
      ? Object.entries((input.RequestItems ?? {}) as Record<string, WriteRequest[]>).flatMap(
          ([tableName, writes]) =>
            (Array.isArray(writes) ? writes : []).map((write) => ({
              tableName,
              item: write.PutRequest?.Item,
              key: write.DeleteRequest?.Key,
            })),
        )
      : [{ tableName: String(input.TableName), item: input.Item as Item, key: input.Key as Item }];
  return requests.flatMap(({ tableName, item, key }) => {
    const table = captured.get(tableName);
    const source = item ?? key;
    return table && source ? [{ table, key: keyOf(table.definition, source) }] : [];
  });
}

function keyOf(definition: TableDefinition, item: Item): Item {
  const names = [definition.partitionKey.name, definition.sortKey?.name];
  return Object.fromEntries(
    names.flatMap((name) => (name && item[name] ? [[name, item[name]]] : [])),
  );
}

function lockName({ table, key }: Write): string {
  return `${table.tableName}\u0000${canonical(key)}`;
}

function readItems(engine: EngineCall, writes: readonly Write[]): Promise<(Item | undefined)[]> {
  return Promise.all(
    writes.map(async ({ table, key }) => {
      const answer = await engine({
        operation: 'GetItem',
        input: { TableName: table.tableName, Key: key, ConsistentRead: true },
      });
      if (answer.statusCode !== 200) {
        throw new Error(`Stream capture could not read ${table.tableName}: ${answer.body}`);
      }
      return (JSON.parse(answer.body) as { Item?: Item }).Item;
    }),
  );
}

/** What DynamoDB Streams records for an item that was `before` and is `after`. */
export function changeOf(
  before: Item | undefined,
  after: Item | undefined,
): ChangeName | undefined {
  if (!before) return after ? 'INSERT' : undefined;
  if (!after) return 'REMOVE';
  return canonical(before) === canonical(after) ? undefined : 'MODIFY';
}

function changeRecords(
  table: CapturedTable,
  before: Item | undefined,
  after: Item | undefined,
  sequence: SequenceNumbers,
): DynamoDBRecord[] {
  const eventName = changeOf(before, after);
  if (!eventName) return [];
  return [streamRecord(table, eventName, { oldImage: before, newImage: after }, sequence.next())];
}

/**
 * A stream record as Lambda receives it: the item's keys always; the new image (not for a
 * REMOVE) with NEW_IMAGE and NEW_AND_OLD_IMAGES; the old image (not for an INSERT) with
 * OLD_IMAGE and NEW_AND_OLD_IMAGES.
 */
export function streamRecord(
  table: CapturedTable,
  eventName: ChangeName,
  images: { readonly oldImage?: Item; readonly newImage?: Item },
  sequenceNumber: string,
): DynamoDBRecord {
  const newImage = eventName !== 'REMOVE' && table.viewType.startsWith('NEW') && images.newImage;
  const oldImage =
    eventName !== 'INSERT' && table.viewType.includes('OLD_IMAGE') && images.oldImage;
  const keys = keyOf(table.definition, images.newImage ?? images.oldImage ?? {});
  return {
    eventID: randomUUID().replaceAll('-', ''),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    eventSourceARN: `arn:aws:dynamodb:local:000000000000:table/${table.tableName}/stream/local`,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: keys as never,
      ...(newImage ? { NewImage: newImage as never } : {}),
      ...(oldImage ? { OldImage: oldImage as never } : {}),
      SequenceNumber: sequenceNumber,
      SizeBytes: itemSize(keys) + itemSize(newImage || {}) + itemSize(oldImage || {}),
      StreamViewType: table.viewType,
    },
  };
}

/**
 * One text per item content: attributes and map entries in name order, set members sorted,
 * numbers without the zeros that do not change their value ("1.50" is "1.5").
 */
function canonical(item: Item): string {
  return JSON.stringify(normalItem(item));
}

function normalItem(item: Item): Record<string, unknown> {
  const names = Object.keys(item).sort();
  return Object.fromEntries(names.map((name) => [name, normalValue(item[name] ?? {})]));
}

function normalValue(value: object): Record<string, unknown> {
  const [type = '', content] = Object.entries(value)[0] ?? [];
  switch (type) {
    case 'N':
      return { N: normalNumber(String(content)) };
    case 'NS':
      return { NS: (content as string[]).map(normalNumber).sort() };
    case 'SS':
    case 'BS':
      return { [type]: [...(content as string[])].sort() };
    case 'L':
      return { L: (content as object[]).map(normalValue) };
    case 'M':
      return { M: normalItem(content as Item) };
    default:
      return { [type]: content };
  }
}

function normalNumber(text: string): string {
  const match = /^([-+]?)(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?$/.exec(text.trim());
  if (!match) return text;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '') return '0';
  const scale =
    Number(exponent) - fraction.length + (digits.length - digits.replace(/0+$/, '').length);
  return `${sign === '-' ? '-' : ''}${digits.replace(/0+$/, '')}e${scale}`;
}

/** Increasing sequence numbers, like a shard's, that stay increasing across restarts. */
export class SequenceNumbers {
  private last = BigInt(Date.now()) * 1_000_000n;

  next(): string {
    this.last += 1n;
    return this.last.toString().padStart(21, '0');
  }
}
