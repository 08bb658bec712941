import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type StreamConsumer, StreamDelivery } from '#local/stream-delivery.ts';
import { scratchDir } from '#test/scratch.ts';

const record = (sequence: number): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: String(sequence).padStart(5, '0') },
});
const sequences = (event: DynamoDBStreamEvent) =>
  event.Records.map((item) => Number(item.dynamodb?.SequenceNumber));

async function deliveryWith(consumer: StreamConsumer, options: { batchSize?: number } = {}) {
  const deadLetterFile = join(await scratchDir('delivery'), 'dead-letter.jsonl');
  const delivery = new StreamDelivery({
    consumer,
    batchSize: options.batchSize ?? 3,
    maxRetries: 2,
    retryDelayMs: 1,
    deadLetterFile,
  });
  return { delivery, deadLetterFile };
}

describe('Class: StreamDelivery', () => {
  it('delivers every record once, in order, in batches of at most the batch size', async () => {
    const batches: number[][] = [];
    const { delivery } = await deliveryWith(async (event) => {
      batches.push(sequences(event));
      return { batchItemFailures: [] };
    });

    delivery.push([1, 2, 3, 4].map(record));
    delivery.push([5, 6, 7].map(record));
    await delivery.idle();

    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(3);
  });

  it('retries a batch from its first reported failure, like the Lambda event source mapping', async () => {
    const batches: number[][] = [];
    let failOnce = true;
    const { delivery } = await deliveryWith(async (event) => {
      batches.push(sequences(event));
      if (failOnce && sequences(event).includes(2)) {
        failOnce = false;
        return { batchItemFailures: [{ itemIdentifier: '00002' }] };
      }
      return { batchItemFailures: [] };
    });

    delivery.push([1, 2, 3].map(record));
    await delivery.idle();

    expect(batches).toEqual([
      [1, 2, 3],
      [2, 3],
    ]);
  });

  it('dead-letters a record that keeps failing after the retries and moves on', async () => {
    const delivered: number[] = [];
    const { delivery, deadLetterFile } = await deliveryWith(async (event) => {
      delivered.push(...sequences(event));
      const poison = event.Records.find((item) => item.dynamodb?.SequenceNumber === '00002');
      return { batchItemFailures: poison ? [{ itemIdentifier: '00002' }] : [] };
    });

    delivery.push([1, 2, 3, 4, 5].map(record));
    await delivery.idle();

    const deadLetters = (await readFile(deadLetterFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({
      attempts: 3,
      record: { dynamodb: { SequenceNumber: '00002' } },
    });
    expect(delivered.filter((sequence) => sequence === 2)).toHaveLength(3);
    expect(delivered).toContain(5);
    expect(delivery.stats()).toMatchObject({ pending: 0, deadLettered: 1 });
  });

  it('retries the whole batch when the consumer throws', async () => {
    let calls = 0;
    const { delivery } = await deliveryWith(async () => {
      calls++;
      if (calls === 1) throw new Error('cold start failed');
      return { batchItemFailures: [] };
    });

    delivery.push([1, 2].map(record));
    await delivery.idle();

    expect(calls).toBe(2);
    expect(delivery.stats()).toMatchObject({ delivered: 2, deadLettered: 0 });
  });
});
