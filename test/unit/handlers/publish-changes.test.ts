import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { ChangeSink } from '#app/change-sink.ts';
import type { Commit } from '#domain/events.ts';
import { publisherOf } from '#handlers/publish-changes.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import corrupt from '../../events/dynamodb-stream/insert-corrupt.json' with { type: 'json' };
import setRecord from '../../events/dynamodb-stream/insert-set.json' with { type: 'json' };
import removedByHand from '../../events/dynamodb-stream/remove-by-hand.json' with { type: 'json' };

// The handler module picks its sinks when it loads, as on Lambda; these tests hand it their own.
vi.hoisted(() => {
  process.env.CHANGE_EVENTS_BUS_NAME = 'config-ledger-test';
});

/** A sink that remembers what it was handed, or fails when told to. */
function recordingSink(name: string, failure?: Error): ChangeSink & { seen: Commit[][] } {
  const seen: Commit[][] = [];
  return {
    name,
    seen,
    publish: async (commits) => {
      if (failure) throw failure;
      seen.push([...commits]);
    },
  };
}

/** The set record again, at another revision and sequence number. */
function setAt(revision: number): DynamoDBRecord {
  const record = structuredClone(setRecord) as DynamoDBRecord;
  const dynamodb = record.dynamodb ?? {};
  dynamodb.SequenceNumber = `1111000000000000000000${String(revision).padStart(2, '0')}`;
  if (dynamodb.Keys?.revision) dynamodb.Keys.revision = { N: String(revision) };
  if (dynamodb.NewImage?.revision) dynamodb.NewImage.revision = { N: String(revision) };
  return record;
}

const publishWith = (sinks: ChangeSink[], ...records: unknown[]) =>
  publisherOf(sinks)(
    { Records: records as DynamoDBRecord[] },
    lambdaContext('publish-changes', 't'),
  );

describe('Handler: publish-changes', () => {
  it('hands every sink the batch’s commits, in order, and skips what is no commit', async () => {
    // Prepare
    const events = recordingSink('events');
    const push = recordingSink('push');

    // Act
    const response = await publishWith([events, push], setAt(12), removedByHand, setAt(13));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    for (const sink of [events, push]) {
      expect(sink.seen.map((commits) => commits.map((commit) => commit.revision))).toEqual([
        [12, 13],
      ]);
    }
  });

  it('publishes what comes before a corrupt record and reports the batch failed from it', async () => {
    // Prepare
    const events = recordingSink('events');
    const bad = corrupt as DynamoDBRecord;

    // Act
    const response = await publishWith([events], setAt(12), bad, setAt(14));

    // Assess: 14 waits for the corrupt record's retries; nothing after it goes first.
    expect(events.seen.flat().map((commit) => commit.revision)).toEqual([12]);
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: bad.dynamodb?.SequenceNumber }],
    });
  });

  it('fails the batch from its first commit when a sink fails, whatever the others did', async () => {
    // Prepare
    const events = recordingSink('events', new Error('EventBridge is down'));
    const push = recordingSink('push');

    // Act
    const response = await publishWith([events, push], removedByHand, setAt(12), setAt(13));

    // Assess: the whole batch again, the push sink included (at least once).
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: setAt(12).dynamodb?.SequenceNumber }],
    });
    expect(push.seen.flat().map((commit) => commit.revision)).toEqual([12, 13]);
  });

  it('calls no sink for a batch without commits', async () => {
    // Prepare
    const events = recordingSink('events', new Error('must not be called'));

    // Act
    const response = await publishWith([events], removedByHand);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
  });
});
