import { describe, expect, it } from 'vitest';
import { limits } from '#domain/limits.ts';
import { projectionCaughtUp } from '#test/load.ts';
import { useLocalStack } from '#test/local-stack-process.ts';

const { api, url } = useLocalStack();

const format = 'config-ledger/v1';
const importDocument = (body: unknown, dryRun = false) =>
  api.call('POST', `/import?dryRun=${dryRun}`, { json: body });
const historyLength = async (name: string) =>
  (await api.get(`/config/${name}/history`)).body?.events?.length ?? 0;

describe('E2E: GET /export and POST /import', () => {
  it('exports an empty store as a document with no entries', async () => {
    const exported = await api.get('/export');
    expect(exported.status).toBe(200);
    expect(exported.body).toEqual({
      format,
      exportedAt: expect.any(String),
      revision: 0,
      entries: [],
    });
  });

  it('plans an import without writing anything on a dry run', async () => {
    await api.put('/config/svc.same', { value: { keep: true } });
    await api.put('/config/svc.changed', { value: 1 });
    const document = {
      format,
      entries: [
        { name: 'svc.same', value: { keep: true } },
        { name: 'svc.changed', value: 2 },
        { name: 'svc.new', value: 'hello' },
      ],
    };

    const plan = await importDocument(document, true);

    expect(plan.status).toBe(200);
    expect(plan.body).toEqual({
      dryRun: true,
      revision: expect.any(Number),
      summary: { create: 1, update: 1, unchanged: 1, conflict: 0 },
      changes: [
        { name: 'svc.same', change: 'unchanged', fromVersion: 1 },
        { name: 'svc.changed', change: 'update', fromVersion: 1 },
        { name: 'svc.new', change: 'create' },
      ],
    });
    expect(await historyLength('svc.changed')).toBe(1);
    expect(await historyLength('svc.new')).toBe(0);
  });

  it('applies an import as one commit of one event per changed name, with its comment, then is a no-op', async () => {
    const document = {
      format,
      comment: 'restore staging',
      entries: [
        { name: 'svc.same', value: { keep: true } },
        { name: 'svc.changed', value: 2 },
        { name: 'svc.new', value: 'hello' },
      ],
    };

    const applied = await importDocument(document);
    expect(applied.body.summary).toEqual({ create: 1, update: 1, unchanged: 1, conflict: 0 });
    expect(applied.body.changes[1]).toEqual({
      name: 'svc.changed',
      change: 'update',
      fromVersion: 1,
      toVersion: 2,
      revision: applied.body.revision,
    });
    // Both changes at one revision: readers see all of the import or none of it.
    expect(applied.body.changes[2].revision).toBe(applied.body.revision);
    const history = await api.get('/config/svc.changed/history');
    expect(history.body.events.at(-1)).toMatchObject({ value: 2, comment: 'restore staging' });
    expect(await historyLength('svc.same')).toBe(1);

    const again = await importDocument(document);
    expect(again.body.summary).toEqual({ create: 0, update: 0, unchanged: 3, conflict: 0 });
    expect(await historyLength('svc.changed')).toBe(2);
  });

  it('round-trips: an export imported elsewhere reproduces every value exactly', async () => {
    await api.call('PUT', '/config/exact.big', {
      rawBody: '{"value":{"n":12345678901234567890,"f":1.0}}',
    });
    await projectionCaughtUp(url());
    const exported = await api.get('/export?prefix=exact.');
    expect(exported.text).toContain('{"n":12345678901234567890,"f":1.0}');

    const renamed = exported.text.replaceAll('"exact.big"', '"exact.copy"');
    const applied = await api.call('POST', '/import', { rawBody: renamed });
    expect(applied.body.summary.create).toBe(1);
    const copy = await api.get('/config/exact.copy?consistent=true');
    expect(copy.text).toContain('{"n":12345678901234567890,"f":1.0}');
  });

  it('exports the configuration as it was at an instant', async () => {
    await projectionCaughtUp(url());
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await api.put('/config/svc.changed', { value: 3 });
    await api.delete('/config/svc.new');
    await projectionCaughtUp(url());

    const then = await api.get(`/export?at=${before}&prefix=svc.`);
    expect(then.body.at).toBe(before);
    expect(
      then.body.entries.map((entry: { name: string; value: unknown }) => [entry.name, entry.value]),
    ).toEqual([
      ['svc.changed', 2],
      ['svc.new', 'hello'],
      ['svc.same', { keep: true }],
    ]);
    const now = await api.get('/export?prefix=svc.');
    expect(now.body.entries.map((entry: { name: string }) => entry.name)).toEqual([
      'svc.changed',
      'svc.same',
    ]);
  });

  it('validates the whole document before writing anything', async () => {
    const bad = [
      { format: 'other/v9', entries: [] },
      {
        format,
        entries: [
          { name: 'ok.one', value: 1 },
          { name: 'bad name', value: 2 },
        ],
      },
      {
        format,
        entries: [
          { name: 'ok.one', value: 1 },
          { name: 'ok.one', value: 2 },
        ],
      },
      { format, entries: [{ name: 'ok.one' }] },
      { format },
    ];
    for (const document of bad) {
      const response = await importDocument(document);
      expect(response.status, JSON.stringify(document)).toBe(400);
    }
    const oversized = await importDocument({
      format,
      entries: [
        { name: 'ok.one', value: 1 },
        { name: 'too.big', value: 'x'.repeat(limits.valueMaxBytes) },
      ],
    });
    expect(oversized.status).toBe(413);
    expect(oversized.body.details).toEqual({ names: ['too.big'] });
    expect(await historyLength('ok.one')).toBe(0);
    expect(
      (await api.call('POST', '/import?dryRun=maybe', { json: { format, entries: [] } })).status,
    ).toBe(400);
  });

  it('handles a large configuration: 1,500 entries in, 1,500 entries out', async () => {
    const entries = Array.from({ length: 1500 }, (_, index) => ({
      name: `bulk.key${String(index).padStart(4, '0')}`,
      value: { index, tags: ['a', 'b'] },
    }));
    const applied = await importDocument({ format, entries });
    expect(applied.body.summary.create).toBe(1500);

    // Right after the import: the whole of it, or a clear "retry" while the read model catches up.
    let exported = await api.get('/export?prefix=bulk.');
    while (exported.status === 503) {
      expect(exported.body.error).toBe('not_caught_up');
      exported = await api.get('/export?prefix=bulk.');
    }
    expect(exported.status).toBe(200);
    expect(exported.body.revision).toBeGreaterThanOrEqual(applied.body.revision);
    expect(exported.body.entries).toHaveLength(1500);
    expect(exported.body.entries[1499]).toMatchObject({
      name: 'bulk.key1499',
      value: { index: 1499 },
    });
  });

  it('applies a document with a value near the limit whole, at one revision, or not at all', async () => {
    const entries = [
      { name: 'mixed.small', value: 1 },
      { name: 'mixed.big', value: 'x'.repeat(220 * 1024) },
      { name: 'mixed.other', value: 2 },
    ];

    const applied = await importDocument({ format, entries });

    expect(applied.status).toBe(200);
    expect(applied.body.summary.create).toBe(3);
    expect(new Set(applied.body.changes.map((c: { revision: number }) => c.revision))).toEqual(
      new Set([applied.body.revision]),
    );
    const big = await api.get('/config/mixed.big?consistent=true');
    expect(big.body.value).toHaveLength(220 * 1024);
  });

  it('holds export and import to one contract: over 5,000 entries or 5 MiB is 413 document_too_large', async () => {
    const many = (count: number, prefix: string) =>
      Array.from({ length: count }, (_, index) => ({ name: `${prefix}${index}`, value: index }));

    const tooMany = await importDocument({ format, entries: many(5001, 'limit.many.') });
    const tooBig = await api.call('POST', '/import', {
      json: {
        format,
        entries: many(23, 'limit.big.').map((e) => ({ ...e, value: 'y'.repeat(250 * 1024) })),
      },
    });
    const fits = await importDocument({ format, entries: many(5000, 'limit.five.') });
    await api.put('/config/limit.five.extra', { value: 1 });
    const exportTooMany = await api.get('/export?prefix=limit.five.');

    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toMatchObject({ error: 'document_too_large' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ error: 'document_too_large' });
    expect(await historyLength('limit.many.0')).toBe(0);
    expect(await historyLength('limit.big.0')).toBe(0);
    expect(fits.body.summary.create).toBe(5000);
    expect(exportTooMany.status).toBe(413);
    expect(exportTooMany.body).toMatchObject({ error: 'document_too_large' });
  }, 120_000);
});
