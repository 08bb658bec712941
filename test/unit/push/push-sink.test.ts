import { describe, expect, it } from 'vitest';
import { eventsPerPublish, pushSink } from '#app/push/push-sink.ts';
import { pushedChangeSchema } from '#client/push-protocol.ts';
import { genesisHash } from '#domain/chain.ts';
import { type Commit, sequence } from '#domain/events.ts';
import { trustedJsonText } from '#domain/json.ts';

function commitOf(revision: number, names: string[], value = '{"seconds":30}'): Commit {
  return sequence(
    names.map((name) => ({
      type: 'ConfigValueSet' as const,
      name,
      version: 1,
      value: trustedJsonText(value),
      previousHash: genesisHash,
    })),
    { revision, occurredAt: '2026-02-12T10:00:00.123Z', actor: 'alice', commitId: `c${revision}` },
  );
}

/** A publisher that records each publish request. */
function recording() {
  const requests: { channel: string; events: unknown[] }[] = [];
  const sink = pushSink({
    publish: async (channel, events) => {
      requests.push({ channel, events: events.map((event) => JSON.parse(event)) });
    },
  });
  return { sink, requests };
}

describe('Function: pushSink', () => {
  it('publishes each change on its name’s channel, with what a reader needs', async () => {
    const { sink, requests } = recording();

    await sink.publish([commitOf(7, ['payments.timeout_ms'])]);

    expect(requests).toEqual([
      {
        channel: '/changes/payments/timeout-ums',
        events: [
          {
            revision: 7,
            name: 'payments.timeout_ms',
            version: 1,
            type: 'ConfigValueSet',
            value: { seconds: 30 },
            commitSize: 1,
            occurredAt: '2026-02-12T10:00:00.123Z',
            actor: 'alice',
          },
        ],
      },
    ]);
    expect(pushedChangeSchema.safeParse(requests[0]?.events[0]).success).toBe(true);
  });

  it('keeps a value over 1 KB out: the reader reads it from the feed', async () => {
    const { sink, requests } = recording();

    await sink.publish([commitOf(8, ['big'], JSON.stringify('x'.repeat(1100)))]);

    expect(requests[0]?.events[0]).toMatchObject({ valueOmitted: true });
    expect(requests[0]?.events[0]).not.toHaveProperty('value');
  });

  it('keeps numbers exactly as written', async () => {
    const requests: string[] = [];
    const sink = pushSink({ publish: async (_, events) => void requests.push(...events) });

    await sink.publish([commitOf(9, ['n'], '12345678901234567890')]);

    expect(requests[0]).toContain('"value":12345678901234567890');
  });

  it('groups a commit’s changes by channel, at most 5 events a request, in revision order', async () => {
    const { sink, requests } = recording();
    const many = Array.from({ length: 7 }, (_, index) => `svc.n${index}`);

    await sink.publish([commitOf(10, [...many, 'other.x']), commitOf(11, ['svc.n0'])]);

    expect(requests.map((request) => [request.channel, request.events.length])).toEqual([
      ...many.slice(0, 7).map((name) => [`/changes/svc/${name.slice(4)}`, 1]),
      ['/changes/other/x', 1],
      ['/changes/svc/n0', 1],
    ]);
    expect(requests.every((request) => request.events.length <= eventsPerPublish)).toBe(true);
    expect(
      requests
        .flatMap((request) => request.events)
        .map((event) => (event as { commitSize: number }).commitSize),
    ).toEqual([8, 8, 8, 8, 8, 8, 8, 8, 1]);
  });

  it('splits more than 5 changes of one channel into requests of 5', async () => {
    const { sink, requests } = recording();
    const names = Array.from({ length: 12 }, (_, index) => `a.b.c.d.n${index}`);

    await sink.publish([commitOf(12, names)]);

    expect(requests.map((request) => request.events.length)).toEqual([5, 5, 2]);
  });
});
