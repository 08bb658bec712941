import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteValue, setValue } from '#app/commands.ts';
import { getEntryAt } from '#app/queries.ts';
import { fold } from '#domain/entry.ts';
import { ConfigLedgerError } from '#domain/errors.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { type JsonValue, toJsonText } from '#domain/json.ts';
import { handler as projector } from '#handlers/projector.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { StreamDelivery } from '#local/stream-delivery.ts';
import { scratchDir } from '#test/scratch.ts';
import { allEvents, createTestTables, streamRecordsOf, testStores } from '#test/stores.ts';

const stores = testStores();

type Command =
  | { kind: 'set'; name: number; value: JsonValue; expected?: number }
  | { kind: 'delete'; name: number; expected?: number };

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record(
      {
        kind: fc.constant('set' as const),
        name: fc.integer({ min: 0, max: 2 }),
        value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>,
        expected: fc.integer({ min: 0, max: 6 }),
      },
      { requiredKeys: ['kind', 'name', 'value'] },
    ),
    weight: 3,
  },
  {
    arbitrary: fc.record(
      {
        kind: fc.constant('delete' as const),
        name: fc.integer({ min: 0, max: 2 }),
        expected: fc.integer({ min: 0, max: 6 }),
      },
      { requiredKeys: ['kind', 'name'] },
    ),
    weight: 1,
  },
);

const deliveryArbitrary = fc.record({
  seed: fc.integer(),
  duplicateShare: fc.double({ min: 0, max: 1, noNaN: true }),
  failureShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
  batchSize: fc.integer({ min: 1, max: 12 }),
});

type DeliveryPlan = typeof deliveryArbitrary extends fc.Arbitrary<infer Plan> ? Plan : never;

let run = 0;

/** Runs commands as the API would; the domain's refusals (conflicts, not found) are fine. */
async function execute(commands: Command[], names: string[]) {
  let clock = Date.parse('2026-02-12T10:00:00.000Z');
  for (const command of commands) {
    clock += 1 + (command.name % 2);
    const options = { now: () => clock };
    const base = {
      name: names[command.name] ?? 'x',
      actor: 'prop',
      expectedVersion: command.expected,
    };
    const done =
      command.kind === 'set'
        ? setValue(stores.events, { ...base, value: toJsonText(command.value) }, options)
        : deleteValue(stores.events, base, options);
    await done.catch((error: unknown) => {
      if (!(error instanceof ConfigLedgerError)) throw error;
    });
  }
}

/** A seeded shuffle, so a failing case replays exactly. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/**
 * Delivers the records as a stream might: duplicated, reordered across and within names, in
 * batches, with the projector failing some records on their first attempt (a corrupt copy),
 * retried by the same delivery semantics the local stack uses.
 */
async function deliverChaotically(records: DynamoDBRecord[], plan: DeliveryPlan) {
  const next = random(plan.seed);
  const copies = records.flatMap((record) =>
    next() < plan.duplicateShare ? [record, record] : [record],
  );
  const shuffled = copies
    .map((record) => ({ record, key: next() }))
    .sort((a, b) => a.key - b.key)
    .map(({ record }) => record);
  const failOnce = new Set(shuffled.filter(() => next() < plan.failureShare));
  const delivery = new StreamDelivery({
    consumer: async (event) => {
      const records = event.Records.map((record) => {
        if (!failOnce.delete(record)) return record;
        return {
          ...record,
          dynamodb: { ...record.dynamodb, NewImage: { name: { S: 'corrupt' } } },
        };
      });
      return (
        (await projector({ Records: records }, lambdaContext('projector', 'p'), () => {})) ??
        undefined
      );
    },
    batchSize: plan.batchSize,
    maxRetries: 5,
    retryDelayMs: 0,
    deadLetterFile: join(await scratchDir('props'), 'dead-letter.jsonl'),
  });
  delivery.push(shuffled);
  await delivery.idle();
  expect(delivery.stats().deadLettered).toBe(0);
}

async function expectInvariants(names: string[]) {
  const events = (await allEvents(stores)).filter((event) => names.includes(event.name));
  for (const name of names) {
    const history = events
      .filter((event) => event.name === name)
      .sort((a, b) => a.version - b.version);
    expect(history.map((event) => event.version)).toEqual(history.map((_, index) => index + 1));
    const folded = fold(name, history);
    expect(await stores.projection.get(name)).toEqual(folded.current);
    for (const [index, event] of history.entries()) {
      await expectTimeTravel(name, event, history.slice(0, index + 1));
    }
  }
}

/** At each event's instant, time travel answers the state right after that event. */
async function expectTimeTravel(name: string, event: ConfigEvent, upToEvent: ConfigEvent[]) {
  const expected = fold(name, upToEvent).current;
  const actual = await getEntryAt(stores, name, event.occurredAt).catch(() => undefined);
  expect(actual).toEqual(expected);
}

beforeAll(createTestTables);

describe('Property: the projection is the fold of the events, whatever the delivery', () => {
  it('holds for random commands and chaotic stream deliveries, and time travel agrees', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(commandArbitrary, { minLength: 1, maxLength: 25 }),
        deliveryArbitrary,
        async (commands, plan) => {
          run += 1;
          const names = [0, 1, 2].map((index) => `prop${run}.name${index}`);
          await execute(commands, names);
          const events = (await allEvents(stores)).filter((event) => names.includes(event.name));
          await deliverChaotically(streamRecordsOf(events), plan);
          await expectInvariants(names);
        },
      ),
      { numRuns: 40 },
    );
  }, 180_000);
});
