import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { ConfigValueSet } from '#domain/events.ts';
import { formatInstant } from '#domain/instant.ts';
import { trustedJsonText } from '#domain/json.ts';
import { ensureTables } from '#local/create-tables.ts';
import { toEventItem } from '#store/event-codec.ts';
import type { TableDefinition } from '#store/tables.ts';

/** A typical configuration value (about 300 bytes of JSON): every write in the bench stores it. */
export const benchValue = {
  timeoutMs: 2500,
  retries: 3,
  backoff: { baseMs: 50, maxMs: 2000, jitter: 'full' },
  endpoints: [
    'https://payments-eu-west-1.example.com',
    'https://payments-eu-central-1.example.com',
  ],
  features: { checkoutV2: true, savedCards: true, installments: false },
  limits: { perMinute: 1200, burst: 300 },
  owner: 'team-payments',
};

const benchValueText = trustedJsonText(JSON.stringify(benchValue));

/** The gateway's actor when no X-Actor header is sent: floor items match API items in size. */
const actor = 'local';

export function benchEvent(name: string, version: number, occurredAtMs: number): ConfigValueSet {
  return {
    type: 'ConfigValueSet',
    name,
    version,
    occurredAt: formatInstant(occurredAtMs),
    actor,
    value: benchValueText,
  };
}

/** The item the store writes for an event, in the wire format of the low-level client. */
export function eventItem(event: ConfigValueSet): Record<string, AttributeValue> {
  return marshall(toEventItem(event));
}

export async function createTable(
  dynamo: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
): Promise<void> {
  await ensureTables(dynamo, [{ definition, tableName }]);
}

/**
 * Writes events straight into a table, 25 to a BatchWriteItem, a few batches in flight: seeding
 * a history through the API would take minutes and measure nothing of interest.
 */
export async function seedEvents(
  dynamo: DynamoDBClient,
  tableName: string,
  events: Iterable<ConfigValueSet>,
  inFlight = 4,
): Promise<number> {
  const source = events[Symbol.iterator]();
  let written = 0;
  const worker = async () => {
    for (let batch = take(source, 25); batch.length > 0; batch = take(source, 25)) {
      await writeBatch(dynamo, tableName, batch);
      written += batch.length;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return written;
}

function take<T>(source: Iterator<T>, count: number): T[] {
  const taken: T[] = [];
  for (let next = source.next(); !next.done; next = source.next()) {
    taken.push(next.value);
    if (taken.length === count) break;
  }
  return taken;
}

async function writeBatch(dynamo: DynamoDBClient, tableName: string, batch: ConfigValueSet[]) {
  let requests: WriteRequest[] = batch.map((event) => ({
    PutRequest: { Item: eventItem(event) },
  }));
  while (requests.length > 0) {
    const result = await dynamo.send(
      new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
    );
    requests = result.UnprocessedItems?.[tableName] ?? [];
  }
}

/** `count` versions of one name, one second apart, the first at `startMs`. */
export function* history(name: string, count: number, startMs: number): Generator<ConfigValueSet> {
  for (let version = 1; version <= count; version++) {
    yield benchEvent(name, version, startMs + (version - 1) * 1000);
  }
}
