// DynamoDB's limits, each tested on both sides of its boundary. The same spec runs against the
// embedded engine (`npm test`) and against Amazon DynamoDB Local (`npm run test:engine`), so the
// embedded engine's refusals are checked against Amazon's own engine. Sources: "Constraints in
// Amazon DynamoDB" and "DynamoDB item sizes and formats", Amazon DynamoDB Developer Guide.
import {
  BatchWriteItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  engineClient,
  expectRefused,
  type Item,
  put,
  scratchTable,
  text,
  utf8Text,
} from '#test/engine-tables.ts';

const KB = 1024;
const itemTooLarge = /Item size has exceeded the maximum allowed size/;

/** pk "a", sk "b" and `v`: 7 bytes of names and keys, and `v`'s bytes. */
const plainItem = (valueBytes: number, extra: Item = {}): Item => ({
  pk: text('a'),
  sk: text('b'),
  ...extra,
  v: text(utf8Text(valueBytes)),
});

describe('Engine: items of at most 400 KB, counted in UTF-8 bytes with attribute names', () => {
  it('stores an item of exactly 400 KB and refuses one byte more, whatever the characters', async () => {
    const table = await scratchTable('limits-size');
    await put(table, plainItem(400 * KB - 7));
    await expectRefused(put(table, plainItem(400 * KB - 6)), itemTooLarge);
    await put(table, { pk: text('a'), sk: text('b'), v: text('x'.repeat(400 * KB - 7)) });
  });

  it('counts maps and lists with 3 bytes each and 1 byte per element', async () => {
    const table = await scratchTable('limits-nested-size');
    // 6 (keys) + "m" 1 + map 3 + element 1 + "k" 1 + n, + "l" 1 + list 3 + element 1 + "z" 1
    const item = (n: number): Item => ({
      pk: text('a'),
      sk: text('b'),
      m: { M: { k: text('x'.repeat(n)) } },
      l: { L: [text('z')] },
    });
    await put(table, item(400 * KB - 18));
    await expectRefused(put(table, item(400 * KB - 17)), itemTooLarge);
  });

  it('refuses, in a BatchWriteItem, an item too large in UTF-8 bytes', async () => {
    const table = await scratchTable('limits-batch');
    const batch = (valueBytes: number) =>
      engineClient.send(
        new BatchWriteItemCommand({
          RequestItems: { [table]: [{ PutRequest: { Item: plainItem(valueBytes) } }] },
        }),
      );
    await batch(400 * KB - 7);
    await expectRefused(batch(400 * KB - 6), itemTooLarge);
  });
});

describe('Engine: an item and its local secondary index copies share the 400 KB', () => {
  // pk, sk, x: 9 bytes and the value; with an ALL projection the index holds the item again.
  const indexedItem = (valueBytes: number): Item => plainItem(valueBytes, { x: text('c') });

  it('counts the whole item again for an ALL projection', async () => {
    const table = await scratchTable('limits-lsi', { localIndexes: [{ key: 'x' }] });
    const largest = (400 * KB) / 2 - 9;
    await put(table, indexedItem(largest));
    await expectRefused(put(table, indexedItem(largest + 1)), itemTooLarge);
    // Without the index's sort key the item is not in the index: only itself counts.
    await put(table, plainItem(400 * KB - 7));
  });

  it('counts one copy per index that holds the item', async () => {
    const table = await scratchTable('limits-lsi-two', {
      localIndexes: [{ key: 'x' }, { key: 'y' }],
    });
    const item = (valueBytes: number) => plainItem(valueBytes, { x: text('c'), y: text('d') });
    const largest = Math.floor((400 * KB) / 3) - 11;
    await put(table, item(largest));
    await expectRefused(put(table, item(largest + 1)), itemTooLarge);
  });

  it('counts the partition key and the index key for a KEYS_ONLY projection', async () => {
    const table = await scratchTable('limits-lsi-keys', {
      localIndexes: [{ key: 'x', projection: { ProjectionType: 'KEYS_ONLY' } }],
    });
    // The item (9 + value) and its entry: pk "a" (3) and x "c" (2).
    await put(table, indexedItem(400 * KB - 14));
    await expectRefused(put(table, indexedItem(400 * KB - 13)), itemTooLarge);
  });

  it('does not count global secondary index copies', async () => {
    const table = await scratchTable('limits-gsi', {
      sortKey: false,
      globalIndexes: [{ key: 'g' }],
    });
    const item = (valueBytes: number) => ({
      pk: text('a'),
      g: text('c'),
      v: text(utf8Text(valueBytes)),
    });
    await put(table, item(400 * KB - 6));
    await expectRefused(put(table, item(400 * KB - 5)), itemTooLarge);
  });
});

describe('Engine: key values of at most 2,048 (partition) and 1,024 (sort) bytes', () => {
  it('measures table keys in UTF-8 bytes', async () => {
    const table = await scratchTable('limits-keys');
    await put(table, { pk: text(utf8Text(2048)), sk: text('b') });
    await expectRefused(put(table, { pk: text(utf8Text(2049)), sk: text('b') }), /2048 bytes/);
    await put(table, { pk: text('a'), sk: text(utf8Text(1024)) });
    await expectRefused(put(table, { pk: text('a'), sk: text(utf8Text(1025)) }), /1024 bytes/);
  });

  it('checks keys given to UpdateItem too', async () => {
    const table = await scratchTable('limits-update-key');
    const update = (sortKey: string) =>
      engineClient.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: text('a'), sk: text(sortKey) },
          UpdateExpression: 'SET v = :v',
          ExpressionAttributeValues: { ':v': text('value') },
        }),
      );
    await update(utf8Text(1024));
    await expectRefused(update(utf8Text(1025)), /1024 bytes/);
  });

  it('holds index keys to the same sizes', async () => {
    const local = await scratchTable('limits-lsi-key', { localIndexes: [{ key: 'x' }] });
    await put(local, { pk: text('a'), sk: text('b'), x: text(utf8Text(1024)) });
    await expectRefused(
      put(local, { pk: text('a'), sk: text('b'), x: text(utf8Text(1025)) }),
      /1024 bytes/,
    );
    const global = await scratchTable('limits-gsi-key', { globalIndexes: [{ key: 'g' }] });
    await put(global, { pk: text('a'), sk: text('b'), g: text(utf8Text(2048)) });
    await expectRefused(
      put(global, { pk: text('a'), sk: text('b'), g: text(utf8Text(2049)) }),
      /2048 bytes|Size limit exceeded/,
    );
  });

  it('refuses an empty string as an index key', async () => {
    const table = await scratchTable('limits-empty-index-key', { globalIndexes: [{ key: 'g' }] });
    await expectRefused(put(table, { pk: text('a'), sk: text('b'), g: text('') }), /empty string/);
  });
});

describe('Engine: expressions, names and nesting', () => {
  const conditionalPut = (table: string, condition: string, names: Record<string, string>) =>
    engineClient.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: text('a'), sk: text('b') },
        UpdateExpression: 'SET v = :v',
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':v': text('value') },
      }),
    );

  it('takes expressions of up to 4 KB', async () => {
    const table = await scratchTable('limits-expression');
    const condition = (bytes: number) => `attribute_not_exists(#a)${' '.repeat(bytes - 24)}`;
    await conditionalPut(table, condition(4096), { '#a': 'v' });
    await expectRefused(
      conditionalPut(table, condition(4097), { '#a': 'v' }),
      /Expression size has exceeded the maximum allowed size/,
    );
  });

  it('takes placeholders of up to 255 bytes', async () => {
    const table = await scratchTable('limits-placeholder');
    const name = (bytes: number) => `#${'n'.repeat(bytes - 1)}`;
    await conditionalPut(table, `attribute_not_exists(${name(255)})`, { [name(255)]: 'v' });
    await expectRefused(
      conditionalPut(table, `attribute_not_exists(${name(256)})`, { [name(256)]: 'v' }),
      /key that is too long/,
    );
  });

  it('takes attribute names of up to 65,535 bytes', async () => {
    const table = await scratchTable('limits-attribute-name');
    await put(table, { pk: text('a'), sk: text('b'), ['n'.repeat(65_535)]: text('x') });
    await expectRefused(
      put(table, { pk: text('a'), sk: text('b'), ['n'.repeat(65_536)]: text('x') }),
      /Attribute name is too large/,
    );
  });

  it('takes values nested 32 levels deep, the attribute itself the first', async () => {
    const table = await scratchTable('limits-nesting');
    const nested = (levels: number) => {
      let value: Item[string] = text('leaf');
      for (let level = 1; level < levels; level++) value = { M: { a: value } };
      return { pk: text('a'), sk: text('b'), n: value };
    };
    await put(table, nested(32));
    await expectRefused(put(table, nested(33)), /Nesting Levels have exceeded supported limits/);
  });
});

describe('Engine: a Query or Scan page ends at 1 MB of items read', () => {
  it('counts UTF-8 bytes and whole items, projected or not', async () => {
    const table = await scratchTable('limits-pages');
    // 30 items of 100 KiB each in three-byte characters: 11 items reach 1 MB.
    for (let index = 0; index < 30; index++) {
      const sk = String(index).padStart(4, '0');
      await put(table, { pk: text('p'), sk: text(sk), v: text(utf8Text(100 * KB - 8)) });
    }
    const pageSizes = async (projection?: string) => {
      const sizes: number[] = [];
      let start: Item | undefined;
      do {
        const page = await engineClient.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': text('p') },
            ProjectionExpression: projection,
            ExclusiveStartKey: start,
          }),
        );
        sizes.push(page.Count ?? 0);
        start = page.LastEvaluatedKey;
      } while (start);
      return sizes;
    };
    expect(await pageSizes()).toEqual([11, 11, 8]);
    expect(await pageSizes('sk')).toEqual([11, 11, 8]);
    const scan = await engineClient.send(new ScanCommand({ TableName: table }));
    expect(scan.Count).toBe(11);
  });
});
