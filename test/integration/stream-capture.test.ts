// What DynamoDB Streams write for each kind of write. The Record API reference (DynamoDB
// Streams) defines eventName: INSERT "a new item was added to the table", MODIFY "one or more of
// an existing item's attributes were modified", REMOVE "the item was deleted from the table";
// StreamViewType says which images a record carries. A write that changes nothing (an identical
// put or update, a delete of a missing item, a failed condition) writes no record. The spec runs
// on the embedded engine's capture and, under `npm run test:engine`, on Amazon DynamoDB Local's
// own Streams: the two must agree.
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Item, text } from '#test/engine-tables.ts';
import { type StreamProbe, streamProbe } from '#test/stream-probe.ts';

const key = (sk: string): Item => ({ pk: text('item'), sk: text(sk) });

function summary(records: DynamoDBRecord[]) {
  return records.map((record) => ({
    eventName: record.eventName,
    keys: record.dynamodb?.Keys,
    newImage: record.dynamodb?.NewImage,
    oldImage: record.dynamodb?.OldImage,
  }));
}

describe('Stream records for each write (NEW_IMAGE view)', () => {
  let probe: StreamProbe;
  const putItem = (item: Item, condition?: string) =>
    probe.client.send(
      new PutItemCommand({
        TableName: probe.tableName,
        Item: item,
        ConditionExpression: condition,
      }),
    );
  const deleteItem = (sk: string) =>
    probe.client.send(new DeleteItemCommand({ TableName: probe.tableName, Key: key(sk) }));
  const setValue = (sk: string, value: string) =>
    probe.client.send(
      new UpdateItemCommand({
        TableName: probe.tableName,
        Key: key(sk),
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': text(value) },
      }),
    );

  beforeAll(async () => {
    probe = await streamProbe('NEW_IMAGE');
  });
  afterAll(() => probe.close());

  it('writes INSERT for a new item and MODIFY for a put that overwrites it', async () => {
    await putItem({ ...key('a'), v: text('1') });
    await putItem({ ...key('a'), v: text('2') });
    expect(summary(await probe.newRecords())).toEqual([
      { eventName: 'INSERT', keys: key('a'), newImage: { ...key('a'), v: text('1') } },
      { eventName: 'MODIFY', keys: key('a'), newImage: { ...key('a'), v: text('2') } },
    ]);
  });

  it('writes nothing for a put or an update that leaves the item as it was', async () => {
    await putItem({ ...key('b'), v: text('same'), n: { N: '1.50' } });
    await probe.newRecords();
    await putItem({ n: { N: '1.5' }, v: text('same'), ...key('b') });
    await setValue('b', 'same');
    expect(await probe.newRecords()).toEqual([]);
  });

  it('writes INSERT and MODIFY for UpdateItem, with the whole new item', async () => {
    await setValue('c', 'first');
    await setValue('c', 'second');
    expect(summary(await probe.newRecords())).toEqual([
      { eventName: 'INSERT', keys: key('c'), newImage: { ...key('c'), v: text('first') } },
      { eventName: 'MODIFY', keys: key('c'), newImage: { ...key('c'), v: text('second') } },
    ]);
  });

  it('writes REMOVE with the keys only for a delete, and nothing when nothing was there', async () => {
    await putItem({ ...key('d'), v: text('x') });
    await probe.newRecords();
    await deleteItem('d');
    await deleteItem('d');
    await deleteItem('never-there');
    expect(summary(await probe.newRecords())).toEqual([
      { eventName: 'REMOVE', keys: key('d'), newImage: undefined, oldImage: undefined },
    ]);
  });

  it('writes nothing for a write whose condition fails', async () => {
    await putItem({ ...key('e'), v: text('x') });
    await probe.newRecords();
    await expect(
      putItem({ ...key('e'), v: text('y') }, 'attribute_not_exists(pk)'),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(await probe.newRecords()).toEqual([]);
  });

  it('writes one record per item of a BatchWriteItem that changed', async () => {
    await putItem({ ...key('f1'), v: text('old') });
    await probe.newRecords();
    await probe.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [probe.tableName]: [
            { PutRequest: { Item: { ...key('f1'), v: text('new') } } },
            { PutRequest: { Item: { ...key('f2'), v: text('new') } } },
            { DeleteRequest: { Key: key('f-missing') } },
          ],
        },
      }),
    );
    const records = summary(await probe.newRecords());
    expect(records.map(({ eventName, keys }) => ({ eventName, keys }))).toEqual(
      expect.arrayContaining([
        { eventName: 'MODIFY', keys: key('f1') },
        { eventName: 'INSERT', keys: key('f2') },
      ]),
    );
    expect(records).toHaveLength(2);
  });
});

describe('Stream records carry the images of the view type', () => {
  it('NEW_AND_OLD_IMAGES: the old image on MODIFY and REMOVE, the new one on INSERT and MODIFY', async () => {
    const probe = await streamProbe('NEW_AND_OLD_IMAGES');
    try {
      const write = (item: Item) =>
        probe.client.send(new PutItemCommand({ TableName: probe.tableName, Item: item }));
      await write({ ...key('g'), v: text('1') });
      await write({ ...key('g'), v: text('2') });
      await probe.client.send(new DeleteItemCommand({ TableName: probe.tableName, Key: key('g') }));
      expect(summary(await probe.newRecords())).toEqual([
        { eventName: 'INSERT', keys: key('g'), newImage: { ...key('g'), v: text('1') } },
        {
          eventName: 'MODIFY',
          keys: key('g'),
          newImage: { ...key('g'), v: text('2') },
          oldImage: { ...key('g'), v: text('1') },
        },
        { eventName: 'REMOVE', keys: key('g'), oldImage: { ...key('g'), v: text('2') } },
      ]);
    } finally {
      await probe.close();
    }
  });

  it('KEYS_ONLY: the keys alone', async () => {
    const probe = await streamProbe('KEYS_ONLY');
    try {
      await probe.client.send(
        new PutItemCommand({ TableName: probe.tableName, Item: { ...key('h'), v: text('1') } }),
      );
      expect(summary(await probe.newRecords())).toEqual([{ eventName: 'INSERT', keys: key('h') }]);
    } finally {
      await probe.close();
    }
  });
});
