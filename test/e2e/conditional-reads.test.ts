import { describe, expect, it } from 'vitest';
import { useLocalStack } from '#test/local-stack-process.ts';

const { api } = useLocalStack();

const ifNoneMatch = (etag: string | null) => ({ headers: { 'if-none-match': etag ?? '' } });

describe('HTTP API: conditional reads', () => {
  describe('GET /config/{name}', () => {
    it('tags the entry with its version and answers 304 with no body while it holds', async () => {
      // Prepare
      await api.put('/config/cond.entry', { value: 1 });
      const first = await api.get('/config/cond.entry?consistent=true');

      // Act
      const unchanged = await api.get(
        '/config/cond.entry?consistent=true',
        ifNoneMatch(first.headers.get('etag')),
      );
      await api.put('/config/cond.other', { value: 'elsewhere' });
      const afterOtherWrite = await api.get(
        '/config/cond.entry?consistent=true',
        ifNoneMatch(first.headers.get('etag')),
      );
      await api.put('/config/cond.entry', { value: 2 });
      const changed = await api.get(
        '/config/cond.entry?consistent=true',
        ifNoneMatch(first.headers.get('etag')),
      );

      // Assess
      expect(first.headers.get('etag')).toBe('"1"');
      expect(unchanged.status).toBe(304);
      expect(unchanged.text).toBe('');
      expect(unchanged.headers.get('etag')).toBe('"1"');
      expect(unchanged.headers.get('config-revision')).toBe(first.headers.get('config-revision'));
      // A write to another name changes the read point, not this entry.
      expect(afterOtherWrite.status).toBe(304);
      expect(Number(afterOtherWrite.headers.get('config-revision'))).toBeGreaterThan(
        Number(first.headers.get('config-revision')),
      );
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).toBe('"2"');
      expect(changed.body.value).toBe(2);
    });
  });

  describe('GET /config', () => {
    it('tags a page with its revision and content: 304 at the same point, 200 after any change', async () => {
      // Prepare
      await api.put('/config/cond.list.a', { value: 'a' });
      const first = await api.get('/config?prefix=cond.list.');
      const etag = first.headers.get('etag');

      // Act
      const unchanged = await api.get('/config?prefix=cond.list.', ifNoneMatch(etag));
      const weakList = await api.get('/config?prefix=cond.list.', ifNoneMatch(`"x", W/${etag}`));
      await api.put('/config/cond.list.b', { value: 'b' });
      const changed = await api.get('/config?prefix=cond.list.', ifNoneMatch(etag));

      // Assess
      expect(etag).toMatch(new RegExp(`^"${first.body.revision}\\.[\\w-]{22}"$`));
      expect(unchanged.status).toBe(304);
      expect(unchanged.text).toBe('');
      expect(weakList.status).toBe(304);
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      expect(changed.body.items).toHaveLength(2);
    });

    it('tags a page pinned to a revision the same for ever', async () => {
      const head = await api.get('/config?prefix=cond.');
      const pinned = `/config?prefix=cond.&revision=${head.body.revision}`;
      const before = await api.get(pinned);

      await api.put('/config/cond.pinned', { value: true });
      const after = await api.get(pinned, ifNoneMatch(before.headers.get('etag')));

      expect(after.status).toBe(304);
    });
  });

  describe('every other read', () => {
    it.each([
      '/config/cond.entry/history',
      '/changes?after=0&limit=1',
      '/config/diff?from=1&to=2',
      '/openapi.json',
    ])('carries an ETag and honours If-None-Match: %s', async (path) => {
      await api.put('/config/cond.entry', { value: 3 });
      const first = await api.get(path);

      const again = await api.get(path, ifNoneMatch(first.headers.get('etag')));

      expect(first.status).toBe(200);
      expect(first.headers.get('etag')).toMatch(/^"[\w.-]+"$/);
      expect(again.status).toBe(304);
    });
  });

  it('leaves errors and writes alone: If-None-Match: * on a PUT still means create only', async () => {
    await api.put('/config/cond.create-only', { value: 1 });

    const missing = await api.get('/config/cond.absent', ifNoneMatch('*'));
    const write = await api.put('/config/cond.create-only', { value: 2 }, { 'if-none-match': '*' });

    expect(missing.status).toBe(404);
    expect(write.status).toBe(412);
  });
});
