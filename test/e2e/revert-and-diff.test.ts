import { describe, expect, it } from 'vitest';
import { useLocalStack } from '#test/local-stack-process.ts';

const { api } = useLocalStack();

const revert = (name: string, body: unknown, headers?: Record<string, string>) =>
  api.call('POST', `/config/${name}/revert`, { json: body, headers });

describe('E2E: POST /config/{name}/revert', () => {
  it('restores an earlier value as a new version that records what it restored', async () => {
    await api.put('/config/revert.value', { value: { pool: 10 } });
    await api.put('/config/revert.value', { value: { pool: 50 } });

    const reverted = await revert('revert.value', {
      toVersion: 1,
      comment: 'pool 50 starves the db',
    });

    expect(reverted.status).toBe(200);
    expect(reverted.body).toMatchObject({ value: { pool: 10 }, version: 3 });
    const history = await api.get('/config/revert.value/history');
    expect(history.body.events.at(-1)).toMatchObject({
      version: 3,
      type: 'ConfigValueSet',
      value: { pool: 10 },
      restoredVersion: 1,
      comment: 'pool 50 starves the db',
    });
  });

  it('re-creates a deleted entry (201), and reverting to a deletion deletes', async () => {
    await api.put('/config/revert.deleted', { value: 'on' });
    await api.delete('/config/revert.deleted');
    const recreated = await revert('revert.deleted', { toVersion: 1 });
    expect(recreated.status).toBe(201);
    expect(recreated.body).toMatchObject({ value: 'on', version: 3 });

    const deleted = await revert('revert.deleted', { toVersion: 2 });
    expect(deleted.body).toEqual({
      name: 'revert.deleted',
      version: 4,
      revision: expect.any(Number),
      deleted: true,
    });
    expect((await api.get('/config/revert.deleted?consistent=true')).status).toBe(404);
  });

  it('honours expectedVersion (409) and If-Match (412)', async () => {
    await api.put('/config/revert.guarded', { value: 1 });
    await api.put('/config/revert.guarded', { value: 2 });
    expect((await revert('revert.guarded', { toVersion: 1, expectedVersion: 1 })).status).toBe(409);
    expect((await revert('revert.guarded', { toVersion: 1 }, { 'if-match': '"1"' })).status).toBe(
      412,
    );
    expect((await revert('revert.guarded', { toVersion: 1 }, { 'if-match': '"2"' })).status).toBe(
      200,
    );
  });

  it('answers 404 for a version that does not exist and 400 for a malformed one', async () => {
    await api.put('/config/revert.bounds', { value: 1 });
    expect((await revert('revert.bounds', { toVersion: 9 })).body.error).toBe('not_found');
    expect((await revert('never.existed', { toVersion: 1 })).status).toBe(404);
    for (const toVersion of [0, -1, 1.5, '1', null]) {
      expect((await revert('revert.bounds', { toVersion })).status).toBe(400);
    }
    expect((await revert('revert.bounds', {})).status).toBe(400);
  });
});

describe('E2E: GET /config/{name}/diff', () => {
  it('gives the JSON Patch between two versions', async () => {
    await api.put('/config/diff.versions', { value: { a: 1, b: [1, 2], big: 1 } });
    await api.call('PUT', '/config/diff.versions', {
      rawBody: '{"value":{"a":2,"b":[1],"c":"new","big":12345678901234567890}}',
    });

    const diff = await api.get('/config/diff.versions/diff?from=1&to=2');

    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({
      name: 'diff.versions',
      from: { version: 1, exists: true },
      to: { version: 2, exists: true },
    });
    expect(diff.text).toContain('{"op":"replace","path":"/big","value":12345678901234567890}');
    expect(diff.body.patch).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/a', value: 2 },
        { op: 'remove', path: '/b/1' },
        { op: 'add', path: '/c', value: 'new' },
      ]),
    );
  });

  it('diffs against the current state when `to` is omitted, and between instants', async () => {
    const first = (await api.put('/config/diff.instants', { value: 'one' })).body;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await api.put('/config/diff.instants', { value: 'two' });
    const before = new Date(Date.parse(first.updatedAt) - 1).toISOString();

    const current = await api.get('/config/diff.instants/diff?from=1');
    expect(current.body.patch).toEqual([{ op: 'replace', path: '', value: 'two' }]);

    const fromNothing = await api.get(
      `/config/diff.instants/diff?from=${before}&to=${first.updatedAt}`,
    );
    expect(fromNothing.body).toMatchObject({
      from: { version: 0, exists: false },
      to: { version: 1, exists: true },
      patch: [{ op: 'add', path: '', value: 'one' }],
    });
  });

  it('removes the whole document across a delete', async () => {
    await api.put('/config/diff.deleted', { value: { x: 1 } });
    await api.delete('/config/diff.deleted');
    const diff = await api.get('/config/diff.deleted/diff?from=1&to=2');
    expect(diff.body.patch).toEqual([{ op: 'remove', path: '' }]);
    expect(diff.body.to).toEqual({ version: 2, exists: false });
  });

  it('answers 404 for an unknown name or version, 400 for malformed points', async () => {
    expect((await api.get('/config/diff.none/diff?from=1')).status).toBe(404);
    await api.put('/config/diff.errors', { value: 1 });
    expect((await api.get('/config/diff.errors/diff?from=7')).status).toBe(404);
    expect((await api.get('/config/diff.errors/diff?from=yesterday')).status).toBe(400);
    expect((await api.get('/config/diff.errors/diff')).status).toBe(400);
    expect((await api.get('/config/diff.errors/diff?from=1&by=me')).status).toBe(400);
  });

  it('answers 413 for a patch too large for a response, never a failed Lambda (500)', async () => {
    // Two values within limits whose patch is not: a long key repeated in 100,000 paths.
    const key = 'k'.repeat(250);
    const zeros = { [key]: Array.from({ length: 100_000 }, () => 0) };
    const ones = { [key]: Array.from({ length: 100_000 }, () => 1) };
    await api.put('/config/diff.huge', { value: zeros });
    await api.put('/config/diff.huge', { value: ones });

    const diff = await api.get('/config/diff.huge/diff?from=1&to=2');

    expect(diff.status).toBe(413);
    expect(diff.body).toMatchObject({
      error: 'response_too_large',
      message: expect.stringContaining('Ask for less'),
    });
    expect(diff.body.details.sizeBytes).toBeGreaterThan(diff.body.details.limitBytes);
  });
});
