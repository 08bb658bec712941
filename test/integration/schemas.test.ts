import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyChangeset } from '#app/changesets.ts';
import { setValue } from '#app/commands.ts';
import { pageAt } from '#app/pages-at.ts';
import { revertTo } from '#app/revert.ts';
import {
  attachSchema,
  checkSchema,
  detachSchema,
  getSchema,
  listSchemas,
  schemaHistory,
} from '#app/schemas.ts';
import type { Stores } from '#app/stores.ts';
import { importEntries } from '#app/transfer.ts';
import { WriteContentionError } from '#domain/errors.ts';
import { type JsonText, toJsonText } from '#domain/json.ts';
import { SchemaNotMetError, SchemaViolationError } from '#domain/schema-errors.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { HistoryStore } from '#store/history-store.ts';
import { LogStore } from '#store/log-store.ts';
import { ProjectionStore } from '#store/projection-store.ts';
import { allCommits, createTestTables, keepProjecting, testStores } from '#test/stores.ts';

const stores = testStores();
let projector: { stop(): Promise<void> } | undefined;

beforeAll(async () => {
  await createTestTables();
  projector = keepProjecting(stores);
});
afterAll(() => projector?.stop());

/** A prefix of its own for each test, so tests never see each other's schemas. */
const freshPrefix = () => `s${randomUUID().slice(0, 8)}.`;
const json = (value: unknown): JsonText => toJsonText(value as never);
const atMostTen = json({ type: 'integer', maximum: 10 });
const actor = 'tester';

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('Integration: schemas on a real engine', () => {
  it('refuses a PUT that breaks a prefix schema, in words at its path, and accepts one that keeps it', async () => {
    // Prepare
    const prefix = freshPrefix();
    const schema = json({
      type: 'object',
      required: ['timeoutMs'],
      properties: { timeoutMs: { type: 'integer', maximum: 10 } },
    });
    await attachSchema(stores, { target: prefix, schema, actor });

    // Act
    const error = await refusal(
      setValue(stores, { name: `${prefix}checkout`, value: json({ timeoutMs: 11 }), actor }),
    );
    const accepted = await setValue(stores, {
      name: `${prefix}checkout`,
      value: json({ timeoutMs: 9 }),
      actor,
    });

    // Assess
    expect(error).toBeInstanceOf(SchemaViolationError);
    expect((error as SchemaViolationError).details).toEqual({
      name: `${prefix}checkout`,
      violations: [{ path: '/timeoutMs', message: 'must be ≤ 10', schema: `${prefix}@1` }],
    });
    expect(accepted.entry.version).toBe(1);
  });

  it('applies every schema over a name: each prefix and the name itself', async () => {
    const prefix = freshPrefix();
    await attachSchema(stores, { target: prefix, schema: json({ type: 'integer' }), actor });
    await attachSchema(stores, { target: `${prefix}a`, schema: json({ minimum: 5 }), actor });

    const error = await refusal(setValue(stores, { name: `${prefix}a`, value: json(2), actor }));
    await setValue(stores, { name: `${prefix}b`, value: json(2), actor });

    expect((error as SchemaViolationError).details).toMatchObject({
      violations: [{ schema: `${prefix}a@1`, message: 'must be ≥ 5' }],
    });
  });

  it('refuses a revert to a value that breaks the schema in force today', async () => {
    const prefix = freshPrefix();
    const name = `${prefix}limit`;
    await setValue(stores, { name, value: json(50), actor });
    await setValue(stores, { name, value: json(5), actor });
    await attachSchema(stores, { target: prefix, schema: atMostTen, actor, force: true });

    const error = await refusal(revertTo(stores, { name, toVersion: 1, actor }));

    expect(error).toBeInstanceOf(SchemaViolationError);
  });

  it('checks a whole import before its first write, naming each entry that breaks a schema', async () => {
    const prefix = freshPrefix();
    await attachSchema(stores, { target: prefix, schema: atMostTen, actor });
    const before = (await allCommits(stores)).length;

    const error = await refusal(
      importEntries(
        stores,
        [
          { name: `${prefix}a`, value: json(1) },
          { name: `${prefix}b`, value: json(11) },
          { name: `${prefix}c`, value: json('x') },
        ],
        { dryRun: false, actor, comment: 'import' },
      ),
    );

    expect((error as SchemaViolationError).details).toMatchObject({
      entries: [{ name: `${prefix}b` }, { name: `${prefix}c` }],
    });
    expect((await allCommits(stores)).length).toBe(before);
  });

  it('refuses a changeset whose operation breaks a schema, and writes none of it', async () => {
    const prefix = freshPrefix();
    await attachSchema(stores, { target: prefix, schema: atMostTen, actor });
    const before = (await allCommits(stores)).length;

    const error = await refusal(
      applyChangeset(stores, {
        actor,
        operations: [
          { op: 'set', name: `${prefix}ok`, value: json(3) },
          { op: 'set', name: `${prefix}bad`, value: json(30) },
        ],
      }),
    );

    expect((error as SchemaViolationError).details).toMatchObject({ name: `${prefix}bad` });
    expect((await allCommits(stores)).length).toBe(before);
  });

  it('reports the entries an attach would break (dry run), refuses it without force, attaches with it', async () => {
    // Prepare
    const prefix = freshPrefix();
    await setValue(stores, { name: `${prefix}low`, value: json(1), actor });
    await setValue(stores, { name: `${prefix}high`, value: json(99), actor });

    // Act
    const dryRun = await checkSchema(stores, prefix, atMostTen);
    const refused = await refusal(
      attachSchema(stores, { target: prefix, schema: atMostTen, actor }),
    );
    const forced = await attachSchema(stores, {
      target: prefix,
      schema: atMostTen,
      actor,
      force: true,
    });

    // Assess
    expect(dryRun).toMatchObject({ checked: 2, violating: [{ name: `${prefix}high` }] });
    expect(refused).toBeInstanceOf(SchemaNotMetError);
    expect(forced).toMatchObject({ checked: 2, created: true, attached: { version: 1 } });
    expect(forced.violating).toEqual([
      {
        name: `${prefix}high`,
        violations: [{ path: '', message: 'must be ≤ 10', schema: `${prefix}@new` }],
      },
    ]);
  });

  it('versions schemas like entries: replace, detach, history, list; never in the configuration', async () => {
    // Prepare
    const prefix = freshPrefix();
    await attachSchema(stores, { target: prefix, schema: atMostTen, actor });
    await attachSchema(stores, { target: prefix, schema: json({ type: 'integer' }), actor });

    // Act
    const current = await getSchema(stores, prefix);
    const listed = await listSchemas(stores);
    await detachSchema(stores, { target: prefix, actor });
    await setValue(stores, { name: `${prefix}free`, value: json('anything'), actor });
    const history = await schemaHistory(stores, prefix, { limit: 10, maxBytes: 100_000 });
    const everything = await pageAt(stores, listed.revision, {
      prefix: '',
      limit: 1000,
      maxBytes: 10_000_000,
    });

    // Assess
    expect(current).toMatchObject({ target: prefix, version: 2, schema: '{"type":"integer"}' });
    expect(listed.schemas.map((schema) => schema.target)).toContain(prefix);
    expect(history.result.events.map((event) => event.type)).toEqual([
      'ConfigValueSet',
      'ConfigValueSet',
      'ConfigValueDeleted',
    ]);
    expect(everything.entries.some((entry) => entry.name.startsWith('~'))).toBe(false);
  });

  it('reads a name and the schemas over it in one request: no extra read on the write path', async () => {
    // Prepare: stores whose client counts the commands it sends.
    const prefix = freshPrefix();
    await attachSchema(stores, { target: prefix, schema: atMostTen, actor });
    const sent: string[] = [];
    const counted = countingStores(sent);

    // Act
    await setValue(counted, { name: `${prefix}deep.er.name`, value: json(4), actor });

    // Assess: the progress, the log's tail, one batch of the name and its 4 schema entries, the put.
    expect(sent).toEqual([
      'GetItemCommand',
      'QueryCommand',
      'BatchGetItemCommand',
      'PutItemCommand',
    ]);
  });

  it('never accepts a value that breaks a schema after the revision that attached it, however writers race the attach', async () => {
    for (let round = 0; round < 3; round++) {
      // Prepare
      const prefix = freshPrefix();
      const names = [`${prefix}a`, `${prefix}b`, `${prefix}c`];
      const writes = Array.from({ length: 12 }, (_, index) => ({
        name: names[index % names.length] ?? '',
        value: json((index * 7) % 21),
      }));

      // Act: 12 writers of values 0..20 and a forced attach of "at most 10", all at once.
      const [attached] = await Promise.all([
        attachSchema(stores, { target: prefix, schema: atMostTen, actor, force: true }),
        ...writes.map((write) =>
          setValue(stores, { ...write, actor }).catch((error: unknown) => {
            // Refused by the schema, or given up under contention (503): neither wrote anything.
            if (error instanceof SchemaViolationError || error instanceof WriteContentionError) {
              return;
            }
            throw error;
          }),
        ),
      ]);

      // Assess
      const commits = await allCommits(stores);
      const late = commits
        .filter((commit) => commit.revision > attached.attached.revision)
        .flatMap((commit) => commit.events)
        .filter((event) => event.name.startsWith(prefix) && event.type === 'ConfigValueSet');
      for (const event of late) {
        expect(
          Number(JSON.parse(event.type === 'ConfigValueSet' ? event.value : '0')),
        ).toBeLessThanOrEqual(10);
      }
    }
  });
});

function countingStores(sent: string[]): Stores {
  const db = createDocumentClient();
  db.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );
  return {
    log: new LogStore(db, stores.log.tableName),
    history: new HistoryStore(db, stores.history.tableName),
    projection: new ProjectionStore(db, stores.projection.tableName),
  };
}
