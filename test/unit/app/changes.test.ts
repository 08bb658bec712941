import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { type Clock, readChanges } from '#app/changes.ts';
import { LogStore } from '#store/log-store.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
// A log store remembers the instants of commits it has seen (they never change), so each test,
// with a log of its own, gets a store of its own.
let stores = freshStores();
function freshStores() {
  return { log: new LogStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'log-table') };
}

/** A clock whose sleeps pass at once and move time forward by what was asked. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = Date.parse('2026-02-12T10:00:01.000Z');
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

function logItem(revision: number) {
  return {
    log: 'all',
    revision,
    occurredAt: '2026-02-12T10:00:00.000Z',
    actor: 'alice',
    commitId: `c${revision}`,
    changes: [{ name: 'alpha', version: revision, type: 'ConfigValueSet', value: '1' }],
  };
}

const query = { limit: 10, maxBytes: 1_000_000 };

afterEach(() => {
  dynamo.reset();
  stores = freshStores();
});

describe('Use case: readChanges', () => {
  it('polls the log until a commit follows when asked to wait, and returns it at once', async () => {
    // Prepare
    const clock = fakeClock();
    dynamo.on(GetCommand).resolves({ Item: logItem(4) });
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [] })
      .resolvesOnce({ Items: [] })
      .resolves({ Items: [logItem(5)] });

    // Act
    const page = await readChanges(stores, { ...query, after: 4, waitMs: 20_000 }, { clock });

    // Assess
    expect(page.commits.map((commit) => commit.revision)).toEqual([5]);
    expect(page.revision).toBe(5);
    expect(clock.sleeps).toEqual([250, 250]);
  });

  it('gives up when the wait is over, with nothing and the revision it was given', async () => {
    // Prepare
    const clock = fakeClock();
    dynamo.on(GetCommand).resolves({ Item: logItem(4) });
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act
    const page = await readChanges(stores, { ...query, after: 4, waitMs: 1_000 }, { clock });

    // Assess
    expect(page).toEqual({ commits: [], revision: 4, more: false });
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(1_000);
  });

  it('checks that the revision exists only when nothing follows it, and only once', async () => {
    // Prepare
    const clock = fakeClock();
    dynamo.on(GetCommand).resolves({ Item: logItem(4) });
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act
    await readChanges(stores, { ...query, after: 4, waitMs: 1_000 }, { clock });

    // Assess
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 1);
  });

  it('pays no existence check while commits follow', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [logItem(5), logItem(6)] });

    // Act
    const page = await readChanges(stores, { ...query, after: 4, waitMs: 0 });

    // Assess
    expect(page.revision).toBe(6);
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
  });

  it('reads the log eventually consistent, and stops short of a commit a replica lacks', async () => {
    // Prepare: the replica that answers has revisions 5 and 7, not yet 6.
    dynamo.on(QueryCommand).resolves({ Items: [logItem(5), logItem(7)] });

    // Act
    const page = await readChanges(stores, { ...query, after: 4, waitMs: 0 });

    // Assess: 5 alone, and the follower is told more is waiting, so it comes back for 6 and 7.
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { ConsistentRead: false });
    expect(page.commits.map((commit) => commit.revision)).toEqual([5]);
    expect(page).toMatchObject({ revision: 5, more: true });
  });

  it('waits rather than skip when a replica lacks the very next commit', async () => {
    // Prepare: a replica without revision 5 answers first, then one that has it.
    const clock = fakeClock();
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [logItem(6)] })
      .resolves({ Items: [logItem(5), logItem(6)] });
    dynamo.on(GetCommand).resolves({ Item: logItem(4) });

    // Act
    const page = await readChanges(stores, { ...query, after: 4, waitMs: 5_000 }, { clock });

    // Assess
    expect(page.commits.map((commit) => commit.revision)).toEqual([5, 6]);
  });

  it('starts after the last revision before an instant, found by searching the log', async () => {
    // Prepare: revisions 1..8, one a minute from 10:00.
    const item = (revision: number) => ({
      ...logItem(revision),
      occurredAt: new Date(
        Date.parse('2026-02-12T10:00:00.000Z') + (revision - 1) * 60_000,
      ).toISOString(),
    });
    dynamo.on(GetCommand).callsFake((input) => ({ Item: item(Number(input.Key.revision)) }));
    dynamo
      .on(QueryCommand)
      .callsFake((input) => ({ Items: input.ScanIndexForward === false ? [item(8)] : [item(4)] }));

    // Act: 10:03 is revision 4's instant.
    const page = await readChanges(stores, {
      ...query,
      since: '2026-02-12T10:03:00.000Z',
      waitMs: 0,
    });

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':log': 'all', ':after': 3 },
    });
    expect(page.revision).toBe(4);
  });
  describe('for a reader limited to some names', () => {
    const visible = (name: string) => name.startsWith('payments.');
    const itemOf = (revision: number, name: string) => ({
      ...logItem(revision),
      changes: [{ name, version: 1, type: 'ConfigValueSet', value: '1' }],
    });

    it('leaves out the commits of other names, and waits on past them', async () => {
      // Prepare
      const clock = fakeClock();
      dynamo.on(GetCommand).resolves({ Item: logItem(4) });
      dynamo
        .on(QueryCommand)
        .resolvesOnce({ Items: [itemOf(5, 'search.secret')] })
        .resolves({ Items: [itemOf(6, 'payments.fee')] });

      // Act
      const page = await readChanges(
        stores,
        { ...query, after: 4, waitMs: 20_000, visible },
        { clock },
      );

      // Assess
      expect(page.commits.map((commit) => commit.revision)).toEqual([6]);
      expect(page.revision).toBe(6);
      expect(dynamo).toHaveReceivedNthCommandWith(QueryCommand, 2, {
        ExpressionAttributeValues: expect.objectContaining({ ':after': 5 }),
      });
    });

    it('answers when the wait is over with nothing, past the commits it may not see', async () => {
      // Prepare
      const clock = fakeClock();
      dynamo.on(GetCommand).resolves({ Item: logItem(4) });
      dynamo
        .on(QueryCommand)
        .resolvesOnce({ Items: [itemOf(5, 'search.secret')] })
        .resolves({ Items: [] });

      // Act
      const page = await readChanges(
        stores,
        { ...query, after: 4, waitMs: 1_000, visible },
        { clock },
      );

      // Assess
      expect(page).toEqual({ commits: [], revision: 5, more: false });
    });
  });
});
