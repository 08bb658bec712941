import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigEvent } from '#domain/events.ts';
import { trustedJsonText } from '#domain/json.ts';
import {
  type BatchRetryOptions,
  sendUntilProcessed,
  UnprocessedBatchError,
} from '#store/batch-retry.ts';
import { HistoryStore } from '#store/history-store.ts';
import { ProjectionStore } from '#store/projection-store.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));

afterEach(() => {
  dynamo.reset();
});

/** Pauses that return at once and are written down, a fixed "random" draw at its ceiling. */
function recordedPauses(options: BatchRetryOptions = {}): BatchRetryOptions & { pauses: number[] } {
  const pauses: number[] = [];
  return {
    pauses,
    pause: async (ms) => {
      pauses.push(ms);
    },
    random: () => 1,
    ...options,
  };
}

describe('Function: sendUntilProcessed', () => {
  it('sends once when nothing comes back unprocessed, with no pause', async () => {
    // Prepare
    const retry = recordedPauses();
    const sent: string[][] = [];

    // Act
    await sendUntilProcessed(
      'batch',
      ['a', 'b'],
      async (work) => {
        sent.push([...work]);
        return [];
      },
      retry,
    );

    // Assess
    expect(sent).toEqual([['a', 'b']]);
    expect(retry.pauses).toEqual([]);
  });

  it('sends again only what was left, pausing before each later round, twice as long at most each time', async () => {
    // Prepare
    const retry = recordedPauses();
    const sent: string[][] = [];
    const left = [['b', 'c'], ['c'], []];

    // Act
    await sendUntilProcessed(
      'batch',
      ['a', 'b', 'c'],
      async (work) => {
        sent.push([...work]);
        return left.shift() ?? [];
      },
      retry,
    );

    // Assess
    expect(sent).toEqual([['a', 'b', 'c'], ['b', 'c'], ['c']]);
    expect(retry.pauses).toEqual([50, 100]);
  });

  it('draws each pause at random below its ceiling (full jitter), capped', async () => {
    // Prepare
    const retry = recordedPauses({ random: () => 0.5, baseDelayMs: 400, maxDelayMs: 1000 });
    let rounds = 0;

    // Act
    await sendUntilProcessed(
      'batch',
      ['a'],
      async (work) => {
        rounds += 1;
        return rounds < 4 ? work : [];
      },
      retry,
    );

    // Assess
    expect(retry.pauses).toEqual([200, 400, 500]);
  });

  it('throws a typed error saying what was left when the rounds run out', async () => {
    // Prepare
    const retry = recordedPauses({ maxRounds: 3 });
    let rounds = 0;

    // Act
    const sending = sendUntilProcessed(
      'BatchWriteItem on history',
      ['a', 'b'],
      async (work) => {
        rounds += 1;
        // One item keeps coming back: the other went through in the first round.
        return work.slice(-1);
      },
      retry,
    );

    // Assess
    await expect(sending).rejects.toThrow(UnprocessedBatchError);
    await expect(sending).rejects.toMatchObject({
      operation: 'BatchWriteItem on history',
      rounds: 3,
      unprocessed: 1,
      message: expect.stringContaining('1 item(s) still unprocessed after 3 rounds'),
    });
    expect(rounds).toBe(3);
    expect(retry.pauses).toHaveLength(2);
  });
});

const historyTable = 'history';
const projectionTable = 'projection';
const event = (revision: number): ConfigEvent => ({
  type: 'ConfigValueSet',
  name: `app.key_${revision}`,
  version: 1,
  revision,
  value: trustedJsonText('1'),
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: 'tester',
});
const put = (revision: number) => ({ PutRequest: { Item: { ...event(revision) } } });

describe('Class: HistoryStore', () => {
  describe('Method: record', () => {
    it('writes again, after a pause, only the items DynamoDB left unprocessed', async () => {
      // Prepare
      const retry = recordedPauses();
      const store = new HistoryStore(db, historyTable, retry);
      dynamo
        .on(BatchWriteCommand)
        .resolvesOnce({ UnprocessedItems: { [historyTable]: [put(2)] } })
        .resolves({});

      // Act
      await store.record([event(1), event(2), event(3)]);

      // Assess
      expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
      expect(dynamo).toHaveReceivedNthCommandWith(BatchWriteCommand, 1, {
        RequestItems: { [historyTable]: [put(1), put(2), put(3)] },
      });
      expect(dynamo).toHaveReceivedNthCommandWith(BatchWriteCommand, 2, {
        RequestItems: { [historyTable]: [put(2)] },
      });
      expect(retry.pauses).toEqual([50]);
    });

    it('gives up with UnprocessedBatchError when the items stay unprocessed', async () => {
      // Prepare
      const store = new HistoryStore(db, historyTable, recordedPauses({ maxRounds: 2 }));
      dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: { [historyTable]: [put(1)] } });

      // Act
      const recording = store.record([event(1)]);

      // Assess
      await expect(recording).rejects.toThrow(UnprocessedBatchError);
      expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
    });
  });
});

const projected = (name: string) => ({
  view: 'entries',
  name,
  version: 1,
  revision: 1,
  value: '1',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'tester',
  deleted: false,
});

describe('Class: ProjectionStore', () => {
  describe('Method: getMany', () => {
    it('asks again, after a pause, only for the keys DynamoDB left unprocessed', async () => {
      // Prepare
      const retry = recordedPauses();
      const store = new ProjectionStore(db, projectionTable, retry);
      const keyOf = (name: string) => ({ view: 'entries', name });
      dynamo
        .on(BatchGetCommand)
        .resolvesOnce({
          Responses: { [projectionTable]: [projected('app.a')] },
          UnprocessedKeys: { [projectionTable]: { Keys: [keyOf('app.b')] } },
        })
        .resolves({ Responses: { [projectionTable]: [projected('app.b')] } });

      // Act
      const found = await store.getMany(['app.a', 'app.b', 'app.c']);

      // Assess
      expect([...found.keys()]).toEqual(['app.a', 'app.b', 'app.c']);
      expect(found.get('app.a')?.current?.value).toBe('1');
      expect(found.get('app.b')?.current?.value).toBe('1');
      expect(found.get('app.c')).toBeUndefined();
      expect(dynamo).toHaveReceivedNthCommandWith(BatchGetCommand, 2, {
        RequestItems: { [projectionTable]: { Keys: [keyOf('app.b')], ConsistentRead: true } },
      });
      expect(retry.pauses).toEqual([50]);
    });

    it('gives up with UnprocessedBatchError when the keys stay unprocessed', async () => {
      // Prepare
      const store = new ProjectionStore(db, projectionTable, recordedPauses({ maxRounds: 2 }));
      dynamo.on(BatchGetCommand).resolves({
        UnprocessedKeys: { [projectionTable]: { Keys: [{ view: 'entries', name: 'app.a' }] } },
      });

      // Act
      const reading = store.getMany(['app.a']);

      // Assess
      await expect(reading).rejects.toThrow(UnprocessedBatchError);
      expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    });
  });
});
