import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchUp } from '#app/projection.ts';
import {
  commitsBetween,
  configurationAt,
  type SnapshotStores,
  takeSnapshotIfDue,
} from '#app/snapshotting.ts';
import type { Stores } from '#app/stores.ts';
import { exportEntries } from '#app/transfer.ts';
import type { LiveEntry } from '#domain/entry.ts';
import type { Commit, ConfigEvent } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import { ensureTables } from '#local/create-tables.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { HistoryStore } from '#store/history-store.ts';
import { LogStore } from '#store/log-store.ts';
import { ProjectionStore } from '#store/projection-store.ts';
import { SnapshotStore } from '#store/snapshot-store.ts';
import {
  historyTable,
  logTable,
  projectionTable,
  snapshotTable,
  type TableDefinition,
} from '#store/tables.ts';
import { SimulatedCrash, seededRandom } from '#test/faults.ts';
import { testTableName } from '#test/stores.ts';

/** Parts of a few entries each, so that snapshots have many and a crash can fall between them. */
const partMaxBytes = 400;

type Middleware = (
  next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>,
  context: { commandName?: string },
) => (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>;

interface Ledger {
  readonly tables: Readonly<Record<'log' | 'history' | 'projection' | 'snapshots', string>>;
  readonly stores: Stores;
  readonly snapshots: SnapshotStores;
  /** The same tables through a client whose calls pass through the middleware. */
  through(middleware: Middleware): SnapshotStores;
}

/** Tables of its own for one run of a property: a log, its views and its snapshots. */
async function freshLedger(): Promise<Ledger> {
  const suffix = randomUUID().slice(0, 8);
  const named = (definition: TableDefinition) => `${testTableName(definition)}-${suffix}`;
  const tables = {
    log: named(logTable),
    history: named(historyTable),
    projection: named(projectionTable),
    snapshots: named(snapshotTable),
  };
  await ensureTables(new DynamoDBClient({}), [
    { definition: logTable, tableName: tables.log },
    { definition: historyTable, tableName: tables.history },
    { definition: projectionTable, tableName: tables.projection },
    { definition: snapshotTable, tableName: tables.snapshots },
  ]);
  const through = (middleware?: Middleware): SnapshotStores => {
    const client = new DynamoDBClient({});
    if (middleware) {
      client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'faults' });
    }
    const db = createDocumentClient(client);
    return {
      log: new LogStore(db, tables.log),
      snapshots: new SnapshotStore(db, tables.snapshots, partMaxBytes),
    };
  };
  const snapshots = through();
  const db = createDocumentClient();
  return {
    tables,
    snapshots,
    stores: {
      log: snapshots.log,
      history: new HistoryStore(db, tables.history),
      projection: new ProjectionStore(db, tables.projection),
    },
    through,
  };
}

/**
 * Eventually consistent reads as a lagging replica answers them: the newest commits of a log
 * query missing (a suffix: the log is written in order), any snapshot part missing, and no
 * manifest at all now and then. Strong reads are answered as they are.
 */
function laggingReplica(random: () => number): Middleware {
  return (next, context) => async (args) => {
    const result = await next(args);
    const { input } = args;
    if (context.commandName !== 'QueryCommand' || input.ConsistentRead !== false) return result;
    const values = input.ExpressionAttributeValues as Record<string, { S?: string }>;
    const items = (result.output.Items ?? []) as unknown[];
    const kept = keptByReplica(values[':series']?.S, items, random);
    return { ...result, output: { ...result.output, Items: kept } };
  };
}

/** What a lagging replica has of what a query asked for: log, manifests or parts. */
function keptByReplica(series: string | undefined, items: unknown[], random: () => number) {
  if (series === undefined) return items.slice(0, Math.floor(random() * (items.length + 1)));
  if (series === 'manifests') return random() < 0.3 ? [] : items;
  return items.filter(() => random() < 0.6);
}

/** A snapshot taker that dies after its first `puts` writes to the snapshots table. */
function crashingAfter(puts: number, snapshotsTable: string): Middleware {
  let written = 0;
  return (next, context) => async (args) => {
    const isPut =
      context.commandName === 'PutItemCommand' && args.input.TableName === snapshotsTable;
    if (isPut && written++ >= puts) throw new SimulatedCrash('The snapshot taker died.');
    return next(args);
  };
}

const names = ['a.b.1', 'a.b.2', 'a.c', 'b.1', 'b.2', 'b.30', 'c'];
const prefixes = ['', 'a.', 'a.b', 'b.', 'b.3', 'c', 'd.'];

type Step =
  | { kind: 'commit'; changes: Array<{ name: number; remove: boolean; size: number }> }
  | { kind: 'snapshot' }
  | { kind: 'two-snapshots-at-once' }
  | { kind: 'crashed-snapshot'; afterPuts: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('commit' as const),
      changes: fc.uniqueArray(
        fc.record({
          name: fc.nat(names.length - 1),
          remove: fc.boolean(),
          size: fc.nat(120),
        }),
        { minLength: 1, maxLength: 3, selector: (change) => change.name },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'snapshot' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'two-snapshots-at-once' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('crashed-snapshot' as const), afterPuts: fc.nat(4) }),
  },
);

/** The configuration after each revision, kept by the test itself: the oracle. */
class Model {
  private readonly versions = new Map<string, number>();
  private live = new Map<string, LiveEntry>();
  readonly states: Array<ReadonlyMap<string, LiveEntry>> = [new Map()];

  commitOf(changes: Array<{ name: number; remove: boolean; size: number }>): Commit | undefined {
    const revision = this.states.length;
    const occurredAt = new Date(Date.UTC(2026, 10, 28, 10, 0, revision)).toISOString();
    const events: ConfigEvent[] = [];
    const next = new Map(this.live);
    for (const change of changes) {
      const name = names[change.name] as string;
      // A delete of what does not exist is no event: the write path refuses it.
      if (change.remove && !next.has(name)) continue;
      const version = (this.versions.get(name) ?? 0) + 1;
      this.versions.set(name, version);
      const base = { name, version, revision, occurredAt, actor: 'prop' };
      if (change.remove) {
        events.push({ ...base, type: 'ConfigValueDeleted' });
        next.delete(name);
      } else {
        const value = toJsonText({ revision, pad: 'x'.repeat(change.size) });
        events.push({ ...base, type: 'ConfigValueSet', value });
        next.set(name, {
          name,
          value,
          version,
          revision,
          updatedAt: occurredAt,
          updatedBy: 'prop',
        });
      }
    }
    if (events.length === 0) return undefined;
    this.live = next;
    this.states.push(next);
    return { revision, occurredAt, actor: 'prop', commitId: `c${revision}`, events };
  }

  at(revision: number, prefix: string): LiveEntry[] {
    return [...(this.states[revision]?.values() ?? [])]
      .filter((entry) => entry.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}

async function play(ledger: Ledger, model: Model, steps: readonly Step[]): Promise<void> {
  for (const [index, planned] of steps.entries()) {
    switch (planned.kind) {
      case 'commit': {
        const commit = model.commitOf(planned.changes);
        if (commit) expect(await ledger.stores.log.append(commit)).toBe(true);
        break;
      }
      case 'snapshot':
        await takeSnapshotIfDue(ledger.snapshots, { force: true });
        break;
      case 'two-snapshots-at-once':
        await Promise.all([
          takeSnapshotIfDue(ledger.snapshots, { force: true }),
          takeSnapshotIfDue(ledger.through(laggingReplica(seededRandom(index))), { force: true }),
        ]);
        break;
      case 'crashed-snapshot': {
        const crashing = ledger.through(crashingAfter(planned.afterPuts, ledger.tables.snapshots));
        await takeSnapshotIfDue(crashing, { force: true }).catch((error: unknown) => {
          expect(error).toBeInstanceOf(SimulatedCrash);
        });
        break;
      }
    }
  }
}

describe('Integration: the whole configuration at a past point, from snapshots', () => {
  it('is exactly the fold of the log at every revision, through lagging replicas, crashed and concurrent takers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 40 }),
        fc.integer(),
        async (steps, seed) => {
          const ledger = await freshLedger();
          const model = new Model();
          await play(ledger, model, steps);
          const lagging = ledger.through(laggingReplica(seededRandom(seed)));
          const head = model.states.length - 1;
          for (let revision = 0; revision <= head; revision += 1) {
            for (const prefix of prefixes) {
              const read = await configurationAt(lagging, revision, [prefix]);
              expect(read, `revision ${revision}, prefix '${prefix}'`).toEqual(
                model.at(revision, prefix),
              );
            }
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 240_000);

  it('answers an export at a past point as the projection does, reading far fewer items', async () => {
    const ledger = await freshLedger();
    const model = new Model();
    const random = seededRandom(7);
    const steps: Step[] = [];
    for (let index = 0; index < 150; index += 1) {
      const name = Math.floor(random() * names.length);
      steps.push({ kind: 'commit', changes: [{ name, remove: random() < 0.2, size: 40 }] });
      if (index % 40 === 39) steps.push({ kind: 'snapshot' });
    }
    await play(ledger, model, steps);
    await catchUp(ledger.stores);
    const head = model.states.length - 1;
    for (const revision of [1, 39, 40, 41, 100, head - 1, head]) {
      for (const prefix of ['', 'a.', 'b.3']) {
        const point = { kind: 'revision' as const, revision };
        const fromSnapshots = await exportEntries(ledger.stores, {
          prefix,
          point,
          snapshots: { stores: ledger.snapshots, prefixes: [prefix] },
        });
        const fromProjection = await exportEntries(ledger.stores, { prefix, point });
        expect(fromSnapshots).toEqual(fromProjection);
        expect(fromSnapshots.result).toEqual(model.at(revision, prefix));
      }
    }
  }, 120_000);

  it('answers a caller limited to some prefixes with their names only', async () => {
    // Prepare
    const ledger = await freshLedger();
    const model = new Model();
    const everyName = names.map((_, name) => ({ name, remove: false, size: 10 }));
    await play(ledger, model, [
      { kind: 'commit', changes: everyName.slice(0, 3) },
      { kind: 'snapshot' },
      { kind: 'commit', changes: everyName.slice(3) },
    ]);

    // Act
    const read = await configurationAt(ledger.snapshots, 2, ['a.c', 'b.3']);

    // Assess
    const readable = model.at(2, '').filter((entry) => /^(a\.c|b\.3)/.test(entry.name));
    expect(read).toEqual(readable);
    expect(read?.map((entry) => entry.name)).toEqual(['a.c', 'b.30']);
  }, 60_000);

  it('takes a snapshot only when the commits since the last one outnumber its entries', async () => {
    const ledger = await freshLedger();
    const model = new Model();
    const commits = (count: number) =>
      Array.from(
        { length: count },
        (_, index): Step => ({
          kind: 'commit',
          changes: [{ name: index % names.length, remove: false, size: 10 }],
        }),
      );
    await play(ledger, model, commits(99));
    expect(await takeSnapshotIfDue(ledger.snapshots)).toEqual({
      taken: false,
      revision: 0,
      commitsSince: 99,
    });
    await play(ledger, model, commits(1));
    expect(await takeSnapshotIfDue(ledger.snapshots)).toMatchObject({
      taken: true,
      revision: 100,
      entryCount: names.length,
      commitsFolded: 100,
    });
    expect(await takeSnapshotIfDue(ledger.snapshots)).toMatchObject({
      taken: false,
      revision: 100,
    });
  }, 60_000);

  it('reads the log after a snapshot only within its byte budget, never a part of the range', async () => {
    // Prepare
    const ledger = await freshLedger();
    const model = new Model();
    const big = (name: number): Step => ({
      kind: 'commit',
      changes: [{ name, remove: false, size: 5000 }],
    });
    await play(ledger, model, [big(0), big(1), big(2)]);

    // Act
    const withinBudget = await commitsBetween(ledger.snapshots.log, 0, 3, 100_000);
    const overBudget = await commitsBetween(ledger.snapshots.log, 0, 3, 12_000);

    // Assess
    expect(withinBudget?.map((commit) => commit.revision)).toEqual([1, 2, 3]);
    expect(overBudget).toBeUndefined();
  }, 60_000);

  it('falls back to the projection when the nearest snapshot is too far behind the point', async () => {
    const ledger = await freshLedger();
    const model = new Model();
    await play(ledger, model, [
      {
        kind: 'commit',
        changes: [{ name: 0, remove: false, size: 1 }],
      },
    ]);
    // No snapshot, and more commits since revision 0 than a snapshot of nothing would wait for.
    const far = Array.from(
      { length: 400 },
      (_, index): Step => ({
        kind: 'commit',
        changes: [{ name: index % names.length, remove: false, size: 1 }],
      }),
    );
    await play(ledger, model, far);
    expect(await configurationAt(ledger.snapshots, 401, [''])).toBeUndefined();
    expect(await configurationAt(ledger.snapshots, 400, [''])).toEqual(model.at(400, ''));
  }, 60_000);
});
