import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { TableDefinition } from '#store/tables.ts';

type Item = Record<string, AttributeValue>;
type WriteRequest = { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } };

export interface CapturedTable {
  readonly tableName: string;
  readonly definition: TableDefinition;
}

/**
 * DynamoDB Streams for an engine that has none: watches the engine's own request handling and,
 * for every write that succeeded on a captured table, emits the stream records DynamoDB would
 * (NEW_IMAGE view). Records are emitted before the writer receives its answer, so no
 * acknowledged write is missed while the process lives; after a crash, the start-up rebuild
 * covers the gap.
 *
 * Puts become INSERT (the events table only takes conditional puts of new versions), deletes
 * REMOVE; updates are not captured, as the events table never receives one.
 */
export function captureStreamRecords(
  server: Server,
  tables: readonly CapturedTable[],
  emit: (records: DynamoDBRecord[]) => void,
): void {
  const engineListeners = server.listeners('request') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  const sequence = new SequenceNumbers();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1];
    if (operation === 'PutItem' || operation === 'DeleteItem' || operation === 'BatchWriteItem') {
      watchWrite(request, response, (body) => {
        const records = recordsFor(operation, body, tables, sequence);
        if (records.length > 0) emit(records);
      });
    }
    for (const listener of engineListeners) listener.call(server, request, response);
  });
}

function watchWrite(
  request: IncomingMessage,
  response: ServerResponse,
  onSuccess: (body: unknown) => void,
) {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.end = ((...args: unknown[]) => {
    if (response.statusCode === 200) onSuccess(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    return end(...args);
  }) as ServerResponse['end'];
}

function recordsFor(
  operation: string,
  body: unknown,
  tables: readonly CapturedTable[],
  sequence: SequenceNumbers,
): DynamoDBRecord[] {
  const input = body as {
    TableName?: string;
    Item?: Item;
    Key?: Item;
    RequestItems?: Record<string, WriteRequest[]>;
  };
  const writes: { tableName: string; put?: Item; deleted?: Item }[] =
    operation === 'BatchWriteItem'
      ? Object.entries(input.RequestItems ?? {}).flatMap(([tableName, requests]) =>
          requests.map((request) => ({
            tableName,
            put: request.PutRequest?.Item,
            deleted: request.DeleteRequest?.Key,
          })),
        )
      : [{ tableName: input.TableName ?? '', put: input.Item, deleted: input.Key }];
  return writes.flatMap((write) => {
    const table = tables.find((candidate) => candidate.tableName === write.tableName);
    if (!table) return [];
    return [streamRecord(table, write.put, write.deleted, sequence.next())];
  });
}

/** The record DynamoDB Streams (NEW_IMAGE view) emits for a put (new image) or a delete (key). */
export function streamRecord(
  table: CapturedTable,
  newImage: Item | undefined,
  deletedKey: Item | undefined,
  sequenceNumber: string,
): DynamoDBRecord {
  const source = newImage ?? deletedKey ?? {};
  const keyNames = [table.definition.partitionKey.name, table.definition.sortKey?.name];
  const keys = Object.fromEntries(
    keyNames.flatMap((name) => (name && source[name] ? [[name, source[name]]] : [])),
  );
  return {
    eventID: randomUUID().replaceAll('-', ''),
    eventName: newImage ? 'INSERT' : 'REMOVE',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    eventSourceARN: `arn:aws:dynamodb:local:000000000000:table/${table.tableName}/stream/local`,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: keys,
      ...(newImage ? { NewImage: newImage } : {}),
      SequenceNumber: sequenceNumber,
      SizeBytes: Buffer.byteLength(JSON.stringify(source)),
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/** Increasing sequence numbers, like a shard's, that stay increasing across restarts. */
export class SequenceNumbers {
  private last = BigInt(Date.now()) * 1_000_000n;

  next(): string {
    this.last += 1n;
    return this.last.toString().padStart(21, '0');
  }
}
