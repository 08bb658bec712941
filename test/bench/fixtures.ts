import { randomUUID } from 'node:crypto';
import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { catchUp } from '#app/projection.ts';
import { genesisHash } from '#domain/chain.ts';
import { type Commit, type Revision, sequence } from '#domain/events.ts';
import { formatInstant, type Instant } from '#domain/instant.ts';
import { trustedJsonText } from '#domain/json.ts';
import { ensureTables } from '#local/create-tables.ts';
import { toLogItem } from '#store/log-codec.ts';
import type { TableDefinition } from '#store/tables.ts';
import type { BenchContext } from './context.ts';
import { log } from './report.ts';

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

export const benchValueText = trustedJsonText(JSON.stringify(benchValue));

/** The gateway's actor when no X-Actor header is sent: seeded items match API items in size. */
export const benchActor = 'local';

/** One change to seed: a blind set of the bench's value. */
export interface SeedChange {
  readonly name: string;
  readonly version: number;
}

/** Where a seeded change landed in the order. */
export interface Seeded extends SeedChange {
  readonly revision: Revision;
  readonly occurredAt: Instant;
}

/**
 * A commit of one set, as a PUT of the bench's value would write it, hashed but not chained to
 * the name's previous version (the bench measures reads and writes, not verify).
 */
export function benchCommit(change: SeedChange, revision: Revision, occurredAt: Instant): Commit {
  const set = { name: change.name, version: change.version, value: benchValueText };
  return sequence([{ type: 'ConfigValueSet', ...set, previousHash: genesisHash }], {
    revision,
    occurredAt,
    actor: benchActor,
    commitId: randomUUID(),
  });
}

export async function createTable(
  dynamo: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
): Promise<void> {
  await ensureTables(dynamo, [{ definition, tableName }]);
}

/**
 * Seeds the stack: commits written straight into its log after the newest one, one change each,
 * one millisecond apart (never before the newest commit's instant, so instants keep rising with
 * revisions), then applied by the projector's catch-up. Seeding through the API would take
 * minutes and measure nothing of interest. The stream records of the seeded commits are dropped
 * (the catch-up applies what they carry), so the projector does not apply them a second time
 * while the bench measures.
 */
export async function seedStack(
  context: BenchContext,
  changes: Iterable<SeedChange>,
): Promise<Seeded[]> {
  await context.valve.idle();
  const newest = await context.stores.log.newest();
  const startMs = Math.max(Date.now(), newest ? Date.parse(newest.occurredAt) + 1 : 0);
  const seeded: Seeded[] = [];
  const commits = numbered(changes, newest?.revision ?? 0, startMs, (commit) => {
    const [event] = commit.events;
    if (event) seeded.push({ ...event, occurredAt: commit.occurredAt });
  });
  context.valve.drop();
  const started = performance.now();
  try {
    await seedLog(context.dynamo, context.tables.log, commits);
  } finally {
    await context.valve.release();
  }
  const report = await catchUp(context.stores);
  log(
    `seeded ${seeded.length} commits in ${seconds(started)} s (catch-up ${(report.durationMs / 1000).toFixed(1)} s)`,
  );
  return seeded;
}

/** The changes as commits at the revisions after `after`, one millisecond apart from `startMs`. */
export function* numbered(
  changes: Iterable<SeedChange>,
  after: Revision,
  startMs: number,
  onCommit: (commit: Commit) => void = () => {},
): Generator<Commit> {
  let revision = after;
  for (const change of changes) {
    revision++;
    const commit = benchCommit(change, revision, formatInstant(startMs + (revision - after - 1)));
    onCommit(commit);
    yield commit;
  }
}

/**
 * Writes commits straight into a log table, 25 to a BatchWriteItem, a few batches in flight. The
 * caller makes sure nothing else writes to the log meanwhile.
 */
export async function seedLog(
  dynamo: DynamoDBClient,
  tableName: string,
  commits: Iterable<Commit>,
  inFlight = 4,
): Promise<number> {
  const source = commits[Symbol.iterator]();
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

async function writeBatch(dynamo: DynamoDBClient, tableName: string, batch: Commit[]) {
  let requests: WriteRequest[] = batch.map((commit) => ({
    PutRequest: { Item: marshall(toLogItem(commit)) },
  }));
  while (requests.length > 0) {
    const result = await dynamo.send(
      new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
    );
    requests = result.UnprocessedItems?.[tableName] ?? [];
  }
}

/** `count` versions of one name. */
export function* versions(name: string, count: number, first = 1): Generator<SeedChange> {
  for (let version = first; version < first + count; version++) yield { name, version };
}

/** Version `version` of each of `names` names under a prefix (zero-padded, in name order). */
export function* names(prefix: string, count: number, version = 1): Generator<SeedChange> {
  for (let index = 0; index < count; index++) {
    yield { name: `${prefix}${String(index).padStart(4, '0')}`, version };
  }
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
