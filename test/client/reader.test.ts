import { describe, expect, it } from 'vitest';
import { ConfigReader, longPollFeed } from '#client/index.ts';
import { useLocalStack } from '#test/local-stack-process.ts';
import { countingClient, described, record, until } from './reader-support.ts';

const { api, url } = useLocalStack();

describe('Class: ConfigReader, on a local stack', () => {
  describe('Method: load / get', () => {
    it('loads every entry under the prefix at one revision, and serves get with no request', async () => {
      // Prepare
      await api.put('/config/load.a', { value: { enabled: true } });
      await api.put('/config/load.b', { value: 2 });
      await api.put('/config/elsewhere', { value: 'not loaded' });
      await api.delete('/config/load.b');
      const { client, requests } = countingClient(url());

      // Act
      const reader = await ConfigReader.load(client, { prefix: 'load.' });
      const sentByLoad = requests();
      const values = Array.from({ length: 10_000 }, () => reader.get('load.a'));

      // Assess
      expect(reader.revision).toBe(Number((await api.get('/health')).body.revision));
      expect(values.every((value) => JSON.stringify(value) === '{"enabled":true}')).toBe(true);
      expect(reader.get('load.b')).toBeUndefined();
      expect(reader.get('elsewhere')).toBeUndefined();
      expect(reader.entry('load.a')).toMatchObject({ version: 1, revision: expect.any(Number) });
      expect(requests()).toBe(sentByLoad);
    });

    it('pages through a listing larger than one page, all at the revision of the first', async () => {
      await Promise.all(
        Array.from({ length: 25 }, (_, index) =>
          api.put(`/config/paged.${String(index).padStart(2, '0')}`, { value: index }),
        ),
      );
      const { client } = countingClient(url());

      const all = await client.listAll({ prefix: 'paged.', limit: 10 });
      const reader = await ConfigReader.load(client, { prefix: 'paged.' });

      expect(all.result.map((entry) => entry.value)).toEqual(
        Array.from({ length: 25 }, (_, index) => index),
      );
      expect(reader.all()).toHaveLength(25);
    });
  });

  describe('Method: subscribe', () => {
    it('announces every change under the prefix once, in revision order, and keeps get current', async () => {
      // Prepare
      const { client } = countingClient(url());
      await api.put('/config/sub.deleted', { value: 'soon gone' });
      const reader = await ConfigReader.load(client, {
        prefix: 'sub.',
        source: longPollFeed(client, 1),
      });
      const loadedAt = reader.revision;
      const recorded = record(reader);

      // Act: three writers at once, a write elsewhere, a delete, an import of two names in one
      // commit.
      await Promise.all(
        ['one', 'two', 'three'].map(async (writer) => {
          for (let step = 1; step <= 5; step += 1) {
            await api.put(`/config/sub.${writer}`, { value: step });
          }
        }),
      );
      await api.put('/config/other.name', { value: true });
      await api.delete('/config/sub.deleted');
      const imported = await api.call('POST', '/import', {
        json: {
          format: 'config-ledger/v1',
          entries: [
            { name: 'sub.imported.a', value: 'a' },
            { name: 'sub.imported.b', value: 'b' },
          ],
        },
      });
      const last = Number(imported.headers.get('config-revision'));
      await until(() => reader.revision >= last);
      recorded.unsubscribe();

      // Assess: exactly what the feed holds under the prefix after the load, in its order.
      const feed = await client.changes({ after: 0, limit: 1000 });
      const expected = feed.changes.filter(
        (change) => change.name.startsWith('sub.') && change.revision > loadedAt,
      );
      expect(described(recorded.changes)).toEqual(described(expected));
      expect(recorded.changes).toHaveLength(15 + 1 + 2);
      expect(new Set(described(recorded.changes)).size).toBe(recorded.changes.length);
      expect(reader.get('sub.one')).toBe(5);
      expect(reader.get('sub.deleted')).toBeUndefined();
      expect(reader.get('sub.imported.b')).toBe('b');
      expect(reader.get('other.name')).toBeUndefined();
      const listed = await client.listAll({ prefix: 'sub.', revision: reader.revision });
      expect(reader.all()).toEqual(listed.result);
    });
  });
});
