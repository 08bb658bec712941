import { describe, expect, it } from 'vitest';
import { limits } from '#domain/limits.ts';
import { useLocalStack } from '#test/local-stack-process.ts';

const { api } = useLocalStack();

const post = (
  body: unknown,
  options: { dryRun?: boolean; headers?: Record<string, string> } = {},
) =>
  api.call('POST', `/changesets${options.dryRun ? '?dryRun=true' : ''}`, {
    json: body,
    headers: options.headers,
  });
const newestRevision = async () => (await api.get('/health')).body.revision as number;

/** Sends a changeset that must be refused, and checks that the log did not move. */
async function refused(body: unknown, status: number, error: string) {
  const before = await newestRevision();
  const response = await post(body);
  expect(response.status).toBe(status);
  expect(response.body).toMatchObject({ error, message: expect.any(String) });
  expect(await newestRevision()).toBe(before);
  return response.body;
}

describe('E2E: POST /changesets', () => {
  it('applies set, delete and revert at one revision, seen whole by reads and the feed', async () => {
    await api.put('/config/cs.b', { value: 1 });
    await api.put('/config/cs.c', { value: 'first' });
    await api.put('/config/cs.c', { value: 'second' });

    const response = await post({
      comment: 'release 7',
      operations: [
        { op: 'set', name: 'cs.a', value: { on: true }, expectedVersion: 0 },
        { op: 'delete', name: 'cs.b', expectedVersion: 1 },
        { op: 'revert', name: 'cs.c', toVersion: 1 },
      ],
    });

    expect(response.status).toBe(200);
    const { revision } = response.body;
    expect(response.headers.get('config-revision')).toBe(String(revision));
    expect(response.body).toEqual({
      dryRun: false,
      revision,
      occurredAt: expect.any(String),
      changes: [
        { name: 'cs.a', type: 'ConfigValueSet', version: 1 },
        { name: 'cs.b', type: 'ConfigValueDeleted', version: 2 },
        { name: 'cs.c', type: 'ConfigValueSet', version: 3, restoredVersion: 1 },
      ],
    });
    const feed = await api.get(`/changes?after=${revision - 1}&limit=1`);
    expect(feed.body.changes.map((change: { name: string }) => change.name)).toEqual([
      'cs.a',
      'cs.b',
      'cs.c',
    ]);
    expect(feed.body.revision).toBe(revision);
    const before = await api.get(`/config?prefix=cs.&revision=${revision - 1}`);
    const after = await api.get(`/config?prefix=cs.&revision=${revision}`);
    expect(before.body.items.map((item: { name: string }) => item.name)).toEqual(['cs.b', 'cs.c']);
    expect(after.body.items).toMatchObject([
      { name: 'cs.a', value: { on: true }, revision },
      { name: 'cs.c', value: 'first', revision },
    ]);
  });

  it('answers 409 naming every failing operation, and writes nothing', async () => {
    await api.put('/config/cs.conflict', { value: 1 });

    const body = await refused(
      {
        operations: [
          { op: 'set', name: 'cs.fine', value: 1 },
          { op: 'set', name: 'cs.conflict', value: 2, expectedVersion: 0 },
          { op: 'delete', name: 'cs.absent' },
        ],
      },
      409,
      'changeset_conflict',
    );

    expect(body.details.failures).toEqual([
      {
        index: 1,
        name: 'cs.conflict',
        error: 'version_conflict',
        message: "'cs.conflict' is at version 1, not the expected version 0.",
        currentVersion: 1,
      },
      {
        index: 2,
        name: 'cs.absent',
        error: 'not_found',
        message: "No configuration entry named 'cs.absent'.",
        currentVersion: 0,
      },
    ]);
    expect((await api.get('/config/cs.fine')).status).toBe(404);
  });

  it('refuses malformed changesets with 400 and the field at fault', async () => {
    const duplicate = await refused(
      {
        operations: [
          { op: 'set', name: 'cs.twice', value: 1 },
          { op: 'delete', name: 'cs.twice' },
        ],
      },
      400,
      'validation_error',
    );
    expect(duplicate.message).toContain('these appear more than once: cs.twice.');

    const unknownOp = await refused(
      { operations: [{ op: 'rename', name: 'cs.x' }] },
      400,
      'validation_error',
    );
    expect(unknownOp.details[0].field).toBe('operations.0.op');

    const noValue = await refused(
      { operations: [{ op: 'set', name: 'cs.x' }] },
      400,
      'validation_error',
    );
    expect(noValue.details[0].field).toBe('operations.0.value');

    const tooMany = Array.from({ length: limits.changesetMaxOperations + 1 }, (_, index) => ({
      op: 'set',
      name: `cs.many${index}`,
      value: index,
    }));
    const many = await refused({ operations: tooMany }, 400, 'validation_error');
    expect(many.message).toContain('At most 100 operations');

    await refused({ operations: [] }, 400, 'validation_error');
    await refused({ operations: [], extra: 1 }, 400, 'validation_error');
  });

  it('refuses a changeset too large for one commit with 413, before any write', async () => {
    const big = 'x'.repeat(200 * 1024);
    const body = await refused(
      {
        operations: ['cs.big1', 'cs.big2'].map((name) => ({ op: 'set', name, value: big })),
      },
      413,
      'commit_too_large',
    );
    expect(body.details).toEqual({ sizeBytes: expect.any(Number), limitBytes: 400 * 1024 });

    const huge = 'x'.repeat(limits.changesetBodyMaxBytes);
    await refused(
      { operations: [{ op: 'set', name: 'cs.huge', value: huge }] },
      413,
      'payload_too_large',
    );
  });

  it('checks a changeset on a dry run, writing nothing', async () => {
    const before = await newestRevision();
    const response = await post(
      { operations: [{ op: 'set', name: 'cs.dry', value: 1 }] },
      { dryRun: true },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      dryRun: true,
      revision: before,
      changes: [{ name: 'cs.dry', type: 'ConfigValueSet', version: 1 }],
    });
    expect(await newestRevision()).toBe(before);
  });

  it('answers a retry with the same Idempotency-Key once, with one commit', async () => {
    const body = { operations: [{ op: 'set', name: 'cs.idem', value: 1 }] };
    const headers = { 'idempotency-key': 'changeset-1' };
    const first = await post(body, { headers });
    const retry = await post(body, { headers });

    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect((await api.get('/config/cs.idem/history')).body.events).toHaveLength(1);
  });

  it('does not let a dry run with a key stand in for the apply sent next with the same key', async () => {
    const body = { operations: [{ op: 'set', name: 'cs.checked', value: 1 }] };
    const headers = { 'idempotency-key': 'changeset-2' };
    const checked = await post(body, { dryRun: true, headers });
    const applied = await post(body, { headers });

    expect(checked.body.dryRun).toBe(true);
    expect(applied.body.dryRun).toBe(false);
    expect(applied.headers.get('idempotency-replayed')).toBeNull();
    expect((await api.get('/config/cs.checked?consistent=true')).status).toBe(200);
  });
});
