import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { type Clock, readChanges } from '#app/changes.ts';
import { FeedStore } from '#store/feed-store.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const feed = new FeedStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'feed-table');
const stores = { feed };
const startMs = Date.parse('2026-02-12T10:00:01.000Z');

/** A clock whose sleeps pass at once and move time forward by what was asked. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

function feedItem(name: string, version: number, occurredAt: string) {
  return {
    feed: 'all',
    position: `${occurredAt}#${name}#${String(version).padStart(12, '0')}`,
    name,
    version,
    type: 'ConfigValueSet',
    value: `{"v":${version}}`,
    occurredAt,
    actor: 'alice',
  };
}

const first = feedItem('alpha', 1, '2026-02-12T09:59:58.000Z');
const second = feedItem('beta', 4, '2026-02-12T09:59:59.500Z');

afterEach(() => {
  dynamo.reset();
});

describe('Use case: readChanges', () => {
  it('reads the feed partition from its start up to now minus the settle window, consistently', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [first, second] });

    // Act
    const page = await readChanges(
      stores,
      { limit: 50, waitMs: 0 },
      { settleMs: 1000, clock: fakeClock() },
    );

    // Assess
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'feed-table',
      KeyConditionExpression: '#feed = :feed AND #position <= :until',
      ExpressionAttributeNames: { '#feed': 'feed', '#position': 'position' },
      ExpressionAttributeValues: { ':feed': 'all', ':until': '2026-02-12T10:00:00.000Z#~' },
      ExclusiveStartKey: undefined,
      Limit: 50,
      ConsistentRead: true,
    });
    expect(page.changes.map((event) => [event.name, event.version])).toEqual([
      ['alpha', 1],
      ['beta', 4],
    ]);
    expect(page.changes[0]).not.toHaveProperty('position');
    expect(page.resumeAfter).toBe(second.position);
  });

  it('resumes right after the position it is given', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [second] });

    // Act
    const page = await readChanges(
      stores,
      { after: first.position, limit: 10, waitMs: 0 },
      { settleMs: 1000, clock: fakeClock() },
    );

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      ExclusiveStartKey: { feed: 'all', position: first.position },
    });
    expect(page.resumeAfter).toBe(second.position);
  });

  it('answers without a query when the position is not older than the settle window yet', async () => {
    // Prepare
    const recent = feedItem('gamma', 2, '2026-02-12T10:00:00.500Z').position;

    // Act
    const page = await readChanges(
      stores,
      { after: recent, limit: 10, waitMs: 0 },
      { settleMs: 1000, clock: fakeClock() },
    );

    // Assess
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
    expect(page).toEqual({ changes: [], resumeAfter: recent });
  });

  it('polls until a change is available when asked to wait, and returns it at once', async () => {
    // Prepare
    const clock = fakeClock();
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [] })
      .resolvesOnce({ Items: [] })
      .resolves({ Items: [second] });

    // Act
    const page = await readChanges(
      stores,
      { after: first.position, limit: 10, waitMs: 20_000 },
      { settleMs: 1000, clock },
    );

    // Assess
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 3);
    expect(clock.sleeps).toEqual([250, 250]);
    expect(page.changes).toHaveLength(1);
    expect(page.resumeAfter).toBe(second.position);
    // Each poll looks as far as its own clock reading allows.
    const bounds = dynamo
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input.ExpressionAttributeValues?.[':until']);
    expect(bounds).toEqual([
      '2026-02-12T10:00:00.000Z#~',
      '2026-02-12T10:00:00.250Z#~',
      '2026-02-12T10:00:00.500Z#~',
    ]);
  });

  it('gives up when the wait is over, with nothing and the position it was given', async () => {
    // Prepare
    const clock = fakeClock();
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act
    const page = await readChanges(
      stores,
      { after: first.position, limit: 10, waitMs: 600 },
      { settleMs: 1000, clock },
    );

    // Assess
    expect(clock.sleeps).toEqual([250, 250, 100]);
    expect(clock.now() - startMs).toBe(600);
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 4);
    expect(page).toEqual({ changes: [], resumeAfter: first.position });
  });

  it('starts at an instant with one key range from it to the settle bound, not a filter', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [second] });

    // Act
    const page = await readChanges(
      stores,
      { since: '2026-02-12T09:59:59.000Z', limit: 10, waitMs: 0 },
      { settleMs: 1000, clock: fakeClock() },
    );

    // Assess
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 1);
    const input = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input).toEqual({
      TableName: 'feed-table',
      KeyConditionExpression: '#feed = :feed AND #position BETWEEN :from AND :until',
      ExpressionAttributeNames: { '#feed': 'feed', '#position': 'position' },
      ExpressionAttributeValues: {
        ':feed': 'all',
        ':from': '2026-02-12T09:59:59.000Z',
        ':until': '2026-02-12T10:00:00.000Z#~',
      },
      Limit: 10,
      ConsistentRead: true,
    });
    expect(page.changes.map((event) => [event.name, event.version])).toEqual([['beta', 4]]);
    expect(page.resumeAfter).toBe(second.position);
  });

  it('answers an instant not yet older than the settle window without a query, resuming there', async () => {
    // Act
    const page = await readChanges(
      stores,
      { since: '2026-02-12T10:00:00.001Z', limit: 10, waitMs: 0 },
      { settleMs: 1000, clock: fakeClock() },
    );

    // Assess
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
    expect(page).toEqual({ changes: [], resumeAfter: '2026-02-12T10:00:00.001Z' });
  });

  it('waits from an instant as from a position: polls until a change is available', async () => {
    // Prepare
    const clock = fakeClock();
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [] })
      .resolves({ Items: [second] });

    // Act
    const page = await readChanges(
      stores,
      { since: '2026-02-12T09:59:59.000Z', limit: 10, waitMs: 20_000 },
      { settleMs: 1000, clock },
    );

    // Assess
    expect(clock.sleeps).toEqual([250]);
    expect(page.changes).toHaveLength(1);
    const starts = dynamo
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input.ExpressionAttributeValues?.[':from']);
    expect(starts).toEqual(['2026-02-12T09:59:59.000Z', '2026-02-12T09:59:59.000Z']);
  });

  it('gives up on an instant when the wait is over, with nothing and a cursor at that instant', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act
    const page = await readChanges(
      stores,
      { since: '2026-02-12T09:00:00.000Z', limit: 10, waitMs: 500 },
      { settleMs: 1000, clock: fakeClock() },
    );

    // Assess
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 3);
    expect(page).toEqual({ changes: [], resumeAfter: '2026-02-12T09:00:00.000Z' });
  });

  it('returns no position on an empty feed read from its start', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act
    const page = await readChanges(
      stores,
      { limit: 10, waitMs: 0 },
      { settleMs: 1000, clock: fakeClock() },
    );

    // Assess
    expect(page).toEqual({ changes: [], resumeAfter: undefined });
  });
});
