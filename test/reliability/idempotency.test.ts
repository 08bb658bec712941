import { describe, expect, it } from 'vitest';
import { useLocalStack } from '#test/local-stack-process.ts';

const { api } = useLocalStack();

const withKey = (key: string) => ({ 'idempotency-key': key });
const historyLength = async (name: string) =>
  (await api.get(`/config/${name}/history`)).body?.events?.length ?? 0;

describe('Reliability: retried requests with an Idempotency-Key', () => {
  it('answers a retried PUT with the original response and appends nothing', async () => {
    const first = await api.put('/config/idem.put', { value: 'v' }, withKey('put-1'));
    const retry = await api.put('/config/idem.put', { value: 'v' }, withKey('put-1'));

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('etag')).toBe('"1"');
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(retry.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(await historyLength('idem.put')).toBe(1);
  });

  it('refuses the same key with a different body: 422, and nothing is written', async () => {
    await api.put('/config/idem.reuse', { value: 1 }, withKey('reuse-1'));
    const reused = await api.put('/config/idem.reuse', { value: 2 }, withKey('reuse-1'));

    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: 'idempotency_key_reused' });
    expect(await historyLength('idem.reuse')).toBe(1);
  });

  it('answers a retried DELETE with the original 200 instead of a 404', async () => {
    await api.put('/config/idem.delete', { value: 1 });
    const first = await api.delete('/config/idem.delete', undefined, withKey('delete-1'));
    const retry = await api.delete('/config/idem.delete', undefined, withKey('delete-1'));

    expect(first.body).toEqual({
      name: 'idem.delete',
      version: 2,
      revision: expect.any(Number),
      deleted: true,
    });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await historyLength('idem.delete')).toBe(2);
  });

  it('scopes a key to its method and path: the same key elsewhere is a new request', async () => {
    await api.put('/config/idem.scope-a', { value: 1 }, withKey('shared'));
    const other = await api.put('/config/idem.scope-b', { value: 1 }, withKey('shared'));

    expect(other.status).toBe(201);
    expect(other.headers.get('idempotency-replayed')).toBeNull();
  });

  it('does not keep failures: a rejected request is evaluated again when retried', async () => {
    await api.put('/config/idem.fail', { value: 1 });
    const body = { value: 2, expectedVersion: 5 };
    expect((await api.put('/config/idem.fail', body, withKey('fail-1'))).status).toBe(409);
    expect((await api.put('/config/idem.fail', body, withKey('fail-1'))).status).toBe(409);
    expect(await historyLength('idem.fail')).toBe(1);
  });

  it('appends once when the same request races itself', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.put('/config/idem.race', { value: 'once' }, withKey('race-1')),
      ),
    );

    for (const response of responses) {
      expect([201, 409]).toContain(response.status);
      if (response.status === 409) {
        expect(response.body.error).toBe('idempotency_key_in_progress');
      }
    }
    expect(responses.some((response) => response.status === 201)).toBe(true);
    expect(await historyLength('idem.race')).toBe(1);
  });

  it('refuses a malformed key', async () => {
    const response = await api.put('/config/idem.bad', { value: 1 }, withKey('k'.repeat(256)));
    expect(response.status).toBe(400);
    expect(await historyLength('idem.bad')).toBe(0);
  });
});
