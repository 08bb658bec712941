import { describe, expect, it } from 'vitest';
import { ConfigReader } from '#client/index.ts';
import { useLocalStack } from '#test/local-stack-process.ts';
import { lossyPushProxy } from './push-support.ts';
import { countingClient, described, record, until } from './reader-support.ts';

const { api, url, pushUrl } = useLocalStack();

const newestRevision = async () => (await api.get('/health')).body.revision as number;

/** Readers on push, each recording what it is told. */
async function pushReaders(
  count: number,
  options: { prefix?: string; push?: string; recheckMs?: number },
) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const { client, requests } = countingClient(url());
      const reader = await ConfigReader.load(client, {
        prefix: options.prefix,
        push: { url: options.push ?? pushUrl(), recheckMs: options.recheckMs, retryPushMs: 200 },
      });
      return { reader, requests, recorded: record(reader) };
    }),
  );
}

/** What the feed says changed under the prefix after a revision, described. */
async function feedAfter(after: number, prefix: string) {
  const page = (await api.get(`/changes?after=${after}&limit=1000`)).body as {
    changes: { revision: number; name: string; version: number }[];
  };
  return described(page.changes.filter((change) => change.name.startsWith(prefix)) as never);
}

describe('Class: ConfigReader, on push (local stack)', () => {
  it('tells every subscriber each change once, in revision order: sets, deletes, changesets and large values', async () => {
    // Prepare
    await api.put('/config/push.a', { value: 1 });
    const readers = [...(await pushReaders(3, { prefix: 'push.' })), ...(await pushReaders(2, {}))];
    const start = Math.min(...readers.map(({ reader }) => reader.revision));
    await until(() => readers.every(({ recorded }) => recorded.errors.length === 0));

    // Act
    await api.put('/config/push.a', { value: 2 });
    await api.put('/config/push.big', { value: 'x'.repeat(5000) });
    await api.put('/config/other.z', { value: true });
    await api.call('POST', '/changesets', {
      json: {
        operations: [
          { op: 'set', name: 'push.b', value: { on: true } },
          { op: 'delete', name: 'push.a' },
        ],
      },
    });
    await api.put('/config/push.c', { value: null });
    const last = await newestRevision();
    await until(() => readers.every(({ reader }) => reader.revision >= last));

    // Assess
    const underPrefix = await feedAfter(start, 'push.');
    const everything = await feedAfter(start, '');
    for (const { reader, recorded } of readers.slice(0, 3)) {
      expect(described(recorded.changes)).toEqual(underPrefix);
      expect(reader.get('push.big')).toBe('x'.repeat(5000));
      expect(reader.get('push.a')).toBeUndefined();
    }
    for (const { recorded } of readers.slice(3))
      expect(described(recorded.changes)).toEqual(everything);
    for (const { reader } of readers) reader.close();
  });

  it('sends no request while nothing changes, nor for a small change that is the next revision', async () => {
    // Prepare: a reader on every name, caught up.
    const [subscriber] = await pushReaders(1, {});
    if (!subscriber) throw new Error('no reader');
    await api.put('/config/idle.a', { value: 1 });
    await until(() => subscriber.reader.get('idle.a') === 1);
    const sent = subscriber.requests();

    // Act: idle, then one change.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const idleRequests = subscriber.requests() - sent;
    await api.put('/config/idle.a', { value: 2 });
    await until(() => subscriber.reader.get('idle.a') === 2);

    // Assess: the push carried the change whole.
    expect(idleRequests).toBe(0);
    expect(subscriber.requests()).toBe(sent);
    subscriber.reader.close();
  });

  it('stays exact when the push loses messages: gaps are read from the feed', async () => {
    // Prepare: a push that loses every other data message, readers behind it.
    const proxy = await lossyPushProxy(pushUrl(), (index) => index % 2 === 0);
    const readers = await pushReaders(3, { prefix: 'lossy.', push: proxy.url, recheckMs: 500 });
    const start = Math.min(...readers.map(({ reader }) => reader.revision));

    // Act
    for (let index = 0; index < 12; index++) {
      await api.put(`/config/lossy.n${index % 3}`, { value: index });
    }
    const last = await newestRevision();
    await until(() => readers.every(({ reader }) => reader.revision >= last));

    // Assess
    expect(proxy.dropped()).toBeGreaterThan(0);
    const expected = await feedAfter(start, 'lossy.');
    expect(expected).toHaveLength(12);
    for (const { reader, recorded } of readers) {
      expect(described(recorded.changes)).toEqual(expected);
      reader.close();
    }
    await proxy.close();
  });

  it('delivers one change to 100 subscribers', async () => {
    const readers = await pushReaders(100, { prefix: 'fanout.' });
    await until(() => readers.every(({ reader }) => reader.staleness().ageMs >= 0));
    const before = await newestRevision();

    await api.put('/config/fanout.flag', { value: 'on' });

    await until(() => readers.every(({ reader }) => reader.get('fanout.flag') === 'on'), 30_000);
    for (const { reader, recorded } of readers) {
      expect(described(recorded.changes)).toEqual([`r${before + 1} fanout.flag v1`]);
      reader.close();
    }
  }, 60_000);
});
