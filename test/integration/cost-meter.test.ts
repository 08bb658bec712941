import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '#local/create-tables.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { engineClient, scratchDefinition } from '#test/engine-tables.ts';
import { CostMeter } from '../bench/cost-meter.ts';

const definition = scratchDefinition('Scratch');
const tableName = `cost-meter-${randomUUID().slice(0, 8)}`;
const meter = new CostMeter();
const db = createDocumentClient();
/** An item of 1,500 bytes or so: two write units, under one read unit. */
const item = (sk: string) => ({ pk: 'p', sk, body: 'x'.repeat(1500) });

beforeAll(async () => {
  await ensureTables(engineClient, [{ definition, tableName }]);
  meter.register(tableName, definition, 'scratch');
  meter.install();
});

afterAll(() => {
  meter.uninstall();
});

describe('Class: CostMeter', () => {
  it('counts a write by table and operation, in write units of its item', async () => {
    const { tally } = await meter.measure(() =>
      db.send(new PutCommand({ TableName: tableName, Item: item('a') })),
    );

    expect(tally.rows).toEqual([
      {
        table: 'scratch',
        operation: 'PutItem',
        requests: 1,
        readUnits: 0,
        writeUnits: 2,
        conditionFailures: 0,
      },
    ]);
  });

  it('charges a failed conditional write as the item it checked', async () => {
    // Prepare
    await db.send(new PutCommand({ TableName: tableName, Item: item('b') }));

    // Act
    const { result, tally } = await meter.measure(() =>
      db
        .send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: 'p', sk: 'b' },
            ConditionExpression: 'attribute_not_exists(sk)',
          }),
        )
        .catch((error: Error) => error.name),
    );

    // Assess
    expect(result).toBe('ConditionalCheckFailedException');
    expect(tally.totals()).toEqual({
      requests: 1,
      readUnits: 0,
      writeUnits: 2,
      conditionFailures: 1,
    });
  });

  it('charges a batch read each key on its own, as a GetItem, found or not', async () => {
    // Prepare
    const pk = `g-${randomUUID()}`;
    await db.send(new PutCommand({ TableName: tableName, Item: { ...item('1'), pk } }));
    await db.send(
      new PutCommand({ TableName: tableName, Item: { pk, sk: '2', body: 'x'.repeat(5000) } }),
    );
    const keys = ['1', '2', 'missing'].map((sk) => ({ pk, sk }));

    // Act
    const { tally } = await meter.measure(() =>
      db.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } },
        }),
      ),
    );

    // Assess: 1 + 2 (5,000 bytes) + 1 (nothing found still costs a read).
    expect(tally.totals()).toMatchObject({ requests: 1, readUnits: 4 });
  });

  it('charges a query for every item it read in full, whatever it projected', async () => {
    // Prepare
    const pk = `q-${randomUUID()}`;
    for (const sk of ['1', '2', '3']) {
      await db.send(new PutCommand({ TableName: tableName, Item: { ...item(sk), pk } }));
    }
    const query = (consistent: boolean) =>
      db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: '#sk',
          ConsistentRead: consistent,
        }),
      );

    // Act
    const strong = await meter.measure(() => query(true));
    const eventual = await meter.measure(() => query(false));

    // Assess: three items of about 1.5 KB are 2 units of 4 KB strongly, half that eventually.
    expect(strong.tally.totals().readUnits).toBe(2);
    expect(eventual.tally.totals().readUnits).toBe(1);
  });

  it('meters the low-level client as well as the document client', async () => {
    const { tally } = await meter.measure(() =>
      engineClient.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'p' }, sk: { S: 'none' } } }),
      ),
    );

    expect(tally.describe()).toBe('scratch GetItem 1× 0.5 RU');
  });

  it('counts requests without units when asked only to count', async () => {
    const { tally } = await meter.count(() =>
      db.send(new PutCommand({ TableName: tableName, Item: item('c') })),
    );

    expect(tally.totals()).toEqual({
      requests: 1,
      readUnits: 0,
      writeUnits: 0,
      conditionFailures: 0,
    });
  });
});
