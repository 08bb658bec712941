import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readChanges } from '#app/changes.ts';
import { deleteValue, setValue } from '#app/commands.ts';
import { pageAt } from '#app/pages-at.ts';
import { getEntry } from '#app/queries.ts';
import type { Stores } from '#app/stores.ts';
import { fold } from '#domain/entry.ts';
import { ConfigLedgerError } from '#domain/errors.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import { projectorOf } from '#handlers/projector.ts';
import { ensureTables } from '#local/create-tables.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { SequenceNumbers, streamRecord } from '#local/stream-capture.ts';
import { StreamDelivery } from '#local/stream-delivery.ts';
import { historyTable, logTable, projectionTable } from '#store/tables.ts';
import {
  type CommitFault,
  faultyStores,
  flakyViews,
  SimulatedCrash,
  seededRandom,
} from '#test/faults.ts';
import { scratchDir } from '#test/scratch.ts';
import { allCommits } from '#test/stores.ts';

/**
 * The guarantees of the order (docs/design/ordering.md), checked against runs in which anything
 * that can go wrong on AWS does: commits delayed between their stamp and their put far beyond
 * any window, writers crashing before and after their put, puts retried by the SDK after they
 * succeeded, stream records duplicated, reordered, failing and retried, two projector
 * invocations at once, and the projector failing between its writes.
 */

const names = ['a', 'b', 'c'];

const writeArbitrary = fc.record({
  name: fc.constantFrom(...names),
  kind: fc.constantFrom('set', 'set', 'set', 'delete'),
  value: fc.integer(),
  expected: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  delayBeforeCommitMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })),
  fault: fc.constantFrom<CommitFault>(
    'none',
    'none',
    'none',
    'crash-before-commit',
    'crash-after-commit',
    'retried-after-commit',
  ),
});

const runArbitrary = fc.record({
  /** Writers run at once; each makes its writes one after the other. */
  writers: fc.array(fc.array(writeArbitrary, { minLength: 2, maxLength: 6 }), {
    minLength: 2,
    maxLength: 6,
  }),
  seed: fc.integer(),
  duplicateShare: fc.double({ min: 0, max: 1, noNaN: true }),
  viewFailureShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
  batchSize: fc.integer({ min: 1, max: 6 }),
});

type Run = typeof runArbitrary extends fc.Arbitrary<infer R> ? R : never;
type Write = Run['writers'][number][number];

interface Acknowledged {
  readonly name: string;
  readonly version: number;
  readonly revision: number;
  readonly comment: string;
}

/**
 * The readers' and the follower's share of the engine is bounded, not proportional to how long
 * a run takes: on a machine busy with other test files, reads that kept pace with slower writes
 * slowed the writes further (one run took 13 times as long as alone).
 */
const maxObservations = 250;
const minPollPauseMs = 3;
const maxPollPauseMs = 50;

/** What a reader was given while the run went on: a name's entry at a revision. */
interface Observation {
  readonly revision: number;
  readonly name: string;
  readonly entry: unknown;
}

async function freshTables() {
  const suffix = randomUUID().slice(0, 8);
  const tables = {
    log: `order-log-${suffix}`,
    history: `order-history-${suffix}`,
    projection: `order-projection-${suffix}`,
  };
  await ensureTables(new DynamoDBClient({}), [
    { definition: logTable, tableName: tables.log },
    { definition: historyTable, tableName: tables.history },
    { definition: projectionTable, tableName: tables.projection },
  ]);
  return tables;
}

/**
 * One write as the API makes it; acknowledged when it answers. Its comment names the request, so
 * the log can be searched for it: a request must never become two changes.
 */
async function write(
  stores: Stores,
  command: Write,
  request: string,
): Promise<Acknowledged | undefined> {
  const base = {
    name: command.name,
    actor: 'prop',
    expectedVersion: command.expected,
    comment: request,
  };
  try {
    const event =
      command.kind === 'set'
        ? (await setValue(stores, { ...base, value: toJsonText(command.value) })).entry
        : await deleteValue(stores, base);
    return { name: event.name, version: event.version, revision: event.revision, comment: request };
  } catch (error) {
    if (error instanceof ConfigLedgerError || error instanceof SimulatedCrash) return undefined;
    throw error;
  }
}

/** Two projector invocations at once, each fed every record, chaotically and with retries. */
async function projectorDeliveries(views: Stores, run: Run) {
  const random = seededRandom(run.seed);
  const deadLetterFile = join(await scratchDir('order'), 'dead-letter.jsonl');
  const projector = projectorOf(views);
  const deliveries = [0, 1].map(
    () =>
      new StreamDelivery({
        consumer: async (event) =>
          (await projector(event, lambdaContext('projector', 'p'), () => {})) ?? undefined,
        batchSize: run.batchSize,
        maxRetries: 50,
        retryDelayMs: 0,
        deadLetterFile,
      }),
  );
  const sequence = new SequenceNumbers();
  const table = {
    tableName: views.log.tableName,
    definition: logTable,
    viewType: 'NEW_IMAGE' as const,
  };
  return {
    /**
     * A put the log took: its stream record goes to both invocations, often held back so that
     * later commits overtake it, and sometimes again.
     */
    committed(item: Record<string, unknown>) {
      const record = streamRecord(
        table,
        'INSERT',
        { newImage: marshall(item) as never },
        sequence.next(),
      );
      const [first, second] = random() < 0.5 ? deliveries : [...deliveries].reverse();
      const heldBackMs = random() < 0.4 ? 30 + Math.floor(random() * 120) : 0;
      setTimeout(() => first?.push([record]), heldBackMs);
      setTimeout(() => second?.push([record]), heldBackMs + Math.floor(random() * 50));
      if (random() < run.duplicateShare) setTimeout(() => first?.push([record]), 200);
    },
    async idle() {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await Promise.all(deliveries.map((delivery) => delivery.idle()));
      return deliveries.reduce((sum, delivery) => sum + delivery.stats().deadLettered, 0);
    },
  };
}

/** A follower from the start, resuming after the last revision it saw, while writes go on. */
function follow(stores: Stores) {
  const seen: ConfigEvent[] = [];
  let after = 0;
  let stopping = false;
  const poll = async () => {
    const page = await readChanges(stores, { after, limit: 3, maxBytes: 1e6, waitMs: 0 });
    seen.push(...page.commits.flatMap((commit) => commit.events));
    after = page.revision;
    return page.commits.length;
  };
  const loop = (async () => {
    let pauseMs = minPollPauseMs;
    while (!stopping) {
      const got = await poll();
      pauseMs = got > 0 ? minPollPauseMs : Math.min(2 * pauseMs, maxPollPauseMs);
      if (got === 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    while ((await poll()) > 0);
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return seen;
    },
  };
}

/**
 * Readers while writes and the projector go on: as projected, as of now, and whole listings at
 * the projector's progress. Each answer says its revision; it is checked against the log later.
 */
function observe(stores: Stores, random: () => number) {
  const observations: Observation[] = [];
  let stopping = false;
  const readOne = async () => {
    const name = names[Math.floor(random() * names.length)] ?? 'a';
    const kind = random() < 0.5 ? 'projected' : 'newest';
    const read = await getEntry(stores, name, { kind }).then(
      ({ revision, result }) => ({ revision, entry: result as unknown }),
      () => undefined,
    );
    if (read) observations.push({ ...read, name });
  };
  const readAll = async () => {
    const { revision } = await stores.projection.progress();
    const page = await pageAt(stores, revision, { prefix: '', limit: 10, maxBytes: 1e6 });
    for (const name of names) {
      const entry = page.entries.find((candidate) => candidate.name === name);
      observations.push({ revision, name, entry });
    }
  };
  const loop = (async () => {
    while (!stopping && observations.length < maxObservations) {
      await (random() < 0.7 ? readOne() : readAll());
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return observations;
    },
  };
}

async function expectTheOrderHolds(
  views: Stores,
  acknowledged: Acknowledged[],
  seen: ConfigEvent[],
  observations: Observation[],
) {
  const commits = await allCommits(views);
  const events = commits.flatMap((commit) => commit.events);
  // Revisions are dense: 1, 2, …, n.
  expect(commits.map((commit) => commit.revision)).toEqual(commits.map((_, index) => index + 1));
  // The follower saw exactly the log: every change once, in revision order.
  expect(seen).toEqual(events);
  // Every acknowledged change is in the log once, where its writer was told it is; no request
  // became two changes.
  for (const ack of acknowledged) {
    expect(events).toContainEqual(expect.objectContaining(ack));
  }
  const requests = events.map((event) => event.comment);
  expect(new Set(requests).size).toBe(requests.length);
  // What readers were given mid-run is the fold of the log up to the revision they were told.
  for (const observation of observations) {
    const upTo = events.filter((event) => event.revision <= observation.revision);
    const expected = fold(observation.name, upTo).current;
    expect(observation.entry).toEqual(expected);
  }
  // Each name's changes in version order, without gaps.
  for (const name of names) {
    const versions = events.filter((event) => event.name === name).map((event) => event.version);
    expect(versions).toEqual(versions.map((_, index) => index + 1));
  }
  // The projector got there by itself, and every revision reads as the fold of the log up to it.
  expect((await views.projection.progress()).revision).toBe(commits.length);
  for (let revision = 0; revision <= commits.length; revision++) {
    const upTo = events.filter((event) => event.revision <= revision);
    const expected = names.flatMap((name) => fold(name, upTo).current ?? []);
    const page = await pageAt(views, revision, { prefix: '', limit: 10, maxBytes: 1e6 });
    expect(page.entries).toEqual(expected);
    for (const name of names) {
      const exact = await getEntry(views, name, { kind: 'revision', revision }).catch(
        () => undefined,
      );
      expect(exact?.result).toEqual(fold(name, upTo).current);
    }
  }
}

describe('Property: one total order, whatever goes wrong around it', () => {
  it('holds for concurrent writers with delayed, crashed and retried commits and a chaotic stream', async () => {
    await fc.assert(
      fc.asyncProperty(runArbitrary, async (run) => {
        const tables = await freshTables();
        const views = flakyViews(tables, run.viewFailureShare, seededRandom(run.seed + 1));
        const deliveries = await projectorDeliveries(views, run);
        const follower = follow(views);
        const readers = observe(views, seededRandom(run.seed + 2));
        const acknowledged = (
          await Promise.all(
            run.writers.map(async (writes, writer) => {
              const done: (Acknowledged | undefined)[] = [];
              for (const [index, command] of writes.entries()) {
                const stores = faultyStores(tables, command, (item) => deliveries.committed(item));
                done.push(await write(stores, command, `w${writer}.${index}`));
              }
              return done;
            }),
          )
        )
          .flat()
          .filter((ack): ack is Acknowledged => ack !== undefined);
        expect(await deliveries.idle()).toBe(0);
        const [seen, observations] = await Promise.all([follower.stop(), readers.stop()]);
        await expectTheOrderHolds(views, acknowledged, seen, observations);
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
