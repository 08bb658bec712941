import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { genesisHash } from '#domain/chain.ts';
import { type Commit, sequence } from '#domain/events.ts';
import { trustedJsonText } from '#domain/json.ts';
import {
  ChangeEventsNotPublishedError,
  EventBridgeSink,
  type EventBridgeSinkOptions,
  entrySize,
} from '#sinks/event-bridge-sink.ts';

const eventBridge = mockClient(EventBridgeClient);
const options: EventBridgeSinkOptions = {
  busName: 'config-ledger-test',
  source: 'config-ledger-test',
  includeValues: false,
  retryDelayMs: 1,
};
const sinkWith = (overrides: Partial<EventBridgeSinkOptions> = {}) =>
  new EventBridgeSink(new EventBridgeClient({ region: 'eu-west-1' }), { ...options, ...overrides });

/** A commit at `revision` setting `count` names to `value`. */
function commitOf(revision: number, count = 1, value = '{"seconds":30}'): Commit {
  return sequence(
    Array.from({ length: count }, (_, index) => ({
      type: 'ConfigValueSet' as const,
      name: `payments.n${index}`,
      version: revision,
      value: trustedJsonText(value),
      previousHash: genesisHash,
      comment: 'raise the timeout',
    })),
    { revision, occurredAt: '2026-02-12T10:00:00.123Z', actor: 'alice', commitId: `c${revision}` },
  );
}

const sentEntries = () =>
  eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);
const detailsSent = () =>
  sentEntries().flatMap((entries) => entries.map((e) => JSON.parse(e.Detail ?? '')));

afterEach(() => {
  eventBridge.reset();
});

describe('Class: EventBridgeSink', () => {
  describe('Method: publish', () => {
    it('sends one event per change, with what the change is but not its value', async () => {
      // Prepare
      eventBridge
        .on(PutEventsCommand)
        .resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });

      // Act
      await sinkWith().publish([commitOf(12)]);

      // Assess
      expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
      const [entry] = sentEntries()[0] ?? [];
      expect(entry).toEqual({
        EventBusName: 'config-ledger-test',
        Source: 'config-ledger-test',
        DetailType: 'Config Value Set',
        Detail: expect.any(String),
        Time: new Date('2026-02-12T10:00:00.123Z'),
      });
      expect(JSON.parse(entry?.Detail ?? '')).toEqual({
        name: 'payments.n0',
        version: 12,
        revision: 12,
        actor: 'alice',
        occurredAt: '2026-02-12T10:00:00.123Z',
        comment: 'raise the timeout',
      });
    });

    it('says a delete and a revert apart: its detail type, and the version it restored', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
      const deleteReverted = sequence(
        [
          {
            type: 'ConfigValueDeleted',
            name: 'flags.beta',
            version: 4,
            restoredVersion: 2,
            previousHash: genesisHash,
          },
        ],
        { revision: 9, occurredAt: '2026-02-12T10:00:00.000Z', actor: 'bob', commitId: 'c9' },
      );

      // Act
      await sinkWith().publish([deleteReverted]);

      // Assess
      expect(sentEntries()[0]?.[0]?.DetailType).toBe('Config Value Deleted');
      expect(detailsSent()[0]).toMatchObject({
        name: 'flags.beta',
        version: 4,
        restoredVersion: 2,
      });
    });

    it('puts the value in the detail, digit for digit, only when asked to', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });

      // Act
      await sinkWith({ includeValues: true }).publish([
        commitOf(1, 1, '{"limit":12345678901234567890}'),
      ]);

      // Assess
      expect(sentEntries()[0]?.[0]?.Detail).toContain('"value":{"limit":12345678901234567890}');
    });

    it('leaves out a value that would not fit an entry, and says so', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
      const large = JSON.stringify('x'.repeat(256 * 1024 - 50));

      // Act
      await sinkWith({ includeValues: true }).publish([commitOf(1, 1, large)]);

      // Assess
      const [entry] = sentEntries()[0] ?? [];
      expect(JSON.parse(entry?.Detail ?? '')).toMatchObject({ valueOmitted: 'tooLarge' });
      expect(JSON.parse(entry?.Detail ?? '')).not.toHaveProperty('value');
    });

    it('sends at most 10 entries a call, in revision order', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
      const commits = [commitOf(1, 7), commitOf(2, 7), commitOf(3, 11)];

      // Act
      await sinkWith().publish(commits);

      // Assess
      expect(sentEntries().map((entries) => entries.length)).toEqual([10, 10, 5]);
      const revisions = detailsSent().map((detail) => detail.revision);
      expect(revisions).toEqual([...Array(7).fill(1), ...Array(7).fill(2), ...Array(11).fill(3)]);
    });

    it('keeps each call under 256 KB when values make the entries large', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
      const value = JSON.stringify('x'.repeat(60 * 1024));

      // Act
      await sinkWith({ includeValues: true }).publish([commitOf(1, 10, value)]);

      // Assess
      const calls = sentEntries();
      expect(calls.map((entries) => entries.length)).toEqual([4, 4, 2]);
      for (const entries of calls) {
        expect(entries.reduce((sum, entry) => sum + entrySize(entry), 0)).toBeLessThanOrEqual(
          256 * 1024,
        );
      }
    });

    it('sends again only the entries EventBridge refused', async () => {
      // Prepare
      eventBridge
        .on(PutEventsCommand)
        .resolvesOnce({
          FailedEntryCount: 1,
          Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException' }, { EventId: 'c' }],
        })
        .resolves({ FailedEntryCount: 0 });

      // Act
      await sinkWith().publish([commitOf(5, 3)]);

      // Assess
      const [first, retry] = sentEntries();
      expect(first).toHaveLength(3);
      expect(retry?.map((entry) => JSON.parse(entry.Detail ?? '').name)).toEqual(['payments.n1']);
    });

    it('gives up by throwing when entries keep being refused, so the batch is retried', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).resolves({
        FailedEntryCount: 1,
        Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
      });

      // Act
      const publishing = sinkWith({ maxAttempts: 3 }).publish([commitOf(5)]);

      // Assess
      await expect(publishing).rejects.toThrow(ChangeEventsNotPublishedError);
      await expect(publishing).rejects.toThrow(/InternalFailure/);
      expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    });

    it('lets a failed call fail the publishing', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).rejects(new Error('AccessDeniedException'));

      // Act & Assess
      await expect(sinkWith().publish([commitOf(5)])).rejects.toThrow('AccessDeniedException');
    });
  });
});
