import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyChangeset } from '#app/changesets.ts';
import { deleteValue, setValue } from '#app/commands.ts';
import { catchUp } from '#app/projection.ts';
import { revertTo } from '#app/revert.ts';
import type { Stores } from '#app/stores.ts';
import { importEntries } from '#app/transfer.ts';
import { verifyLog } from '#app/verify.ts';
import type { Finding } from '#domain/chain-verifier.ts';
import { toJsonText } from '#domain/json.ts';
import { ensureTables } from '#local/create-tables.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { HistoryStore } from '#store/history-store.ts';
import { logPartition, toLogItem } from '#store/log-codec.ts';
import { LogStore } from '#store/log-store.ts';
import { ProjectionStore } from '#store/projection-store.ts';
import { historyTable, logTable, projectionTable } from '#store/tables.ts';

const db = createDocumentClient();
const json = (value: unknown) => toJsonText(value as never);

/** Tables of a ledger's own, so that each test can tamper with them as it likes. */
async function freshLedger(): Promise<Stores> {
  const suffix = randomUUID().slice(0, 8);
  const names = {
    log: `log-${suffix}`,
    history: `history-${suffix}`,
    projection: `proj-${suffix}`,
  };
  await ensureTables(new DynamoDBClient({}), [
    { definition: logTable, tableName: names.log },
    { definition: historyTable, tableName: names.history },
    { definition: projectionTable, tableName: names.projection },
  ]);
  return {
    log: new LogStore(db, names.log),
    history: new HistoryStore(db, names.history),
    projection: new ProjectionStore(db, names.projection),
  };
}

/**
 * Every kind of write, through the use cases as the handlers call them, projected:
 * revisions 1–7 (PUT, PUT, PUT, DELETE, changeset of two names, revert, import).
 */
async function writtenLedger(): Promise<Stores> {
  const stores = await freshLedger();
  const actor = 'alice';
  await setValue(stores, { name: 'pay.limit', value: json(100), actor });
  await setValue(stores, { name: 'pay.mode', value: json('live'), actor });
  await setValue(stores, { name: 'pay.limit', value: json(12345678901234567890n), actor });
  await deleteValue(stores, { name: 'pay.mode', actor });
  await applyChangeset(stores, {
    actor,
    operations: [
      { op: 'set', name: 'pay.limit', value: json({ b: 1, a: 2 }) },
      { op: 'set', name: 'pay.mode', value: json('test') },
    ],
  });
  await revertTo(stores, { name: 'pay.limit', toVersion: 1, actor });
  await importEntries(stores, [{ name: 'search.k', value: json(3) }], {
    actor,
    dryRun: false,
    comment: 'import',
  });
  await catchUp(stores);
  return stores;
}

async function verifyAll(stores: Stores, limit = 1000): Promise<Finding[]> {
  const findings: Finding[] = [];
  let after = 0;
  for (;;) {
    const page = await verifyLog(stores, { after, limit });
    findings.push(...page.findings);
    if (!page.more) return findings;
    after = page.revision;
  }
}

const logKey = (revision: number) => ({ log: logPartition, revision });

describe('Integration: verify on a real engine', () => {
  let clean: Stores;
  beforeAll(async () => {
    clean = await writtenLedger();
  });

  it('finds nothing wrong in a ledger written by every write path, in one page or many', async () => {
    // Act
    const whole = await verifyLog(clean, { after: 0, limit: 1000 });
    const paged = await verifyAll(clean, 2);
    // Assess
    expect(whole).toMatchObject({ findingCount: 0, commits: 7, events: 8, unchained: 0 });
    expect(whole.more).toBe(false);
    expect(paged).toEqual([]);
  });

  it('shows the head hash on the entry, chained from every earlier version', async () => {
    const entry = await clean.projection.get('pay.limit');
    const history = await clean.history.page('pay.limit', { after: 0, through: 100 }, 100);
    expect(history.events.map((event) => event.version)).toEqual([1, 2, 3, 4]);
    expect(entry?.hash).toBe(history.events.at(-1)?.hash);
    expect(history.events[1]?.previousHash).toBe(history.events[0]?.hash);
  });

  it('reports a value changed in a log item as altered, and the history as differing', async () => {
    // Prepare: someone with write access to the table edits the value of revision 3.
    const stores = await writtenLedger();
    await db.send(
      new UpdateCommand({
        TableName: stores.log.tableName,
        Key: logKey(3),
        UpdateExpression: 'SET changes[0].#value = :value',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':value': '999' },
      }),
    );
    // Act
    const findings = await verifyAll(stores);
    // Assess
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'altered', source: 'log', name: 'pay.limit', version: 2 }),
      expect.objectContaining({ kind: 'altered', source: 'history', revision: 3 }),
    ]);
  });

  it('reports a deleted log item as removed, from the gap and from the versions', async () => {
    // Prepare
    const stores = await writtenLedger();
    await db.send(new DeleteCommand({ TableName: stores.log.tableName, Key: logKey(2) }));
    // Act
    const findings = await verifyAll(stores);
    // Assess
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'removed', source: 'log', revision: 2 }),
        expect.objectContaining({ kind: 'removed', name: 'pay.mode', version: 2, revision: 4 }),
        expect.objectContaining({ kind: 'inserted', source: 'history', revision: 2 }),
      ]),
    );
  });

  it('reports the newest log item deleted, as the projector had applied it', async () => {
    const stores = await writtenLedger();
    await db.send(new DeleteCommand({ TableName: stores.log.tableName, Key: logKey(7) }));
    const findings = await verifyAll(stores);
    expect(findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'removed', revision: 7 })]),
    );
  });

  it('reports a history item inserted where the log has no event', async () => {
    // Prepare: a forged event of pay.mode at revision 3, which changed only pay.limit.
    const stores = await writtenLedger();
    await db.send(
      new PutCommand({
        TableName: stores.history.tableName,
        Item: {
          name: 'pay.mode',
          version: 2,
          revision: 3,
          occurredAt: '2026-11-28T10:00:00.000Z',
          actor: 'mallory',
          type: 'ConfigValueSet',
          value: '"forged"',
        },
      }),
    );
    // Act
    const findings = await verifyAll(stores);
    // Assess
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'inserted', source: 'history', name: 'pay.mode' }),
    ]);
  });

  it('reports a hash altered in a log item, and a commit appended by hand with a forged chain', async () => {
    // Prepare
    const stores = await writtenLedger();
    await db.send(
      new UpdateCommand({
        TableName: stores.log.tableName,
        Key: logKey(6),
        UpdateExpression: 'SET changes[0].#hash = :hash',
        ExpressionAttributeNames: { '#hash': 'hash' },
        ExpressionAttributeValues: { ':hash': 'f'.repeat(64) },
      }),
    );
    const forged = {
      revision: 8,
      occurredAt: '2026-11-28T23:00:00.000Z',
      actor: 'mallory',
      commitId: 'forged',
      events: [
        {
          name: 'pay.limit',
          version: 5,
          revision: 8,
          occurredAt: '2026-11-28T23:00:00.000Z',
          actor: 'mallory',
          type: 'ConfigValueSet' as const,
          value: json(0),
          previousHash: '0'.repeat(64),
          hash: 'a'.repeat(64),
        },
      ],
    };
    await db.send(new PutCommand({ TableName: stores.log.tableName, Item: toLogItem(forged) }));
    // Act
    const findings = await verifyAll(stores);
    // Assess
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'altered', source: 'log', revision: 6 }),
        expect.objectContaining({ kind: 'altered', source: 'log', revision: 8 }),
        expect.objectContaining({ kind: 'inserted', source: 'log', revision: 8 }),
      ]),
    );
  });

  it('counts events written before the chain as unchained, and chains the next write from them', async () => {
    // Prepare: a log item as the service wrote it before events were hashed.
    const stores = await freshLedger();
    await db.send(
      new PutCommand({
        TableName: stores.log.tableName,
        Item: {
          log: logPartition,
          revision: 1,
          occurredAt: '2026-01-01T00:00:00.000Z',
          actor: 'old',
          commitId: 'legacy',
          changes: [{ name: 'old.name', version: 1, type: 'ConfigValueSet', value: '1' }],
        },
      }),
    );
    await catchUp(stores);
    await setValue(stores, { name: 'old.name', value: json(2), actor: 'new' });
    await catchUp(stores);
    // Act
    const page = await verifyLog(stores, { after: 0, limit: 100 });
    // Assess
    expect(page).toMatchObject({ findingCount: 0, unchained: 1, events: 2 });
  });
});
