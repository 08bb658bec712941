import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '#test/http.ts';
import { type LocalStackProcess, startLocalStackProcess } from '#test/local-stack-process.ts';

let stack: LocalStackProcess;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStackProcess({ DATA_DIR: ':memory:', POWERTOOLS_LOG_LEVEL: 'WARN' });
  api = apiClient(stack.url);
});

afterAll(async () => {
  expect(await stack.stop()).toBe(0);
});

describe('E2E: GET /verify on the local stack', () => {
  it('verifies the chains written through the API, page by page', async () => {
    // Prepare
    await api.put('/config/e2e.a', { value: 1 });
    await api.put('/config/e2e.a', { value: { big: 1 } });
    await api.call('POST', '/changesets', {
      json: {
        operations: [
          { op: 'delete', name: 'e2e.a' },
          { op: 'set', name: 'e2e.b', value: 2 },
        ],
      },
    });
    // Act
    const first = await api.get('/verify?limit=2');
    const rest = await api.get(`/verify?after=${first.body.revision}&limit=2`);
    // Assess
    expect(first.status).toBe(200);
    expect(first.headers.get('config-revision')).toBe('2');
    expect(first.body).toMatchObject({ after: 0, revision: 2, more: true, findingCount: 0 });
    expect(rest.body).toMatchObject({ after: 2, revision: 3, more: false, findingCount: 0 });
    expect(rest.body.events).toBe(2);
  });

  it('shows the head hash on the entry, the last hash of its history', async () => {
    const entry = await api.get('/config/e2e.b');
    const history = await api.get('/config/e2e.b/history');
    expect(entry.body.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(history.body.events.at(-1).hash).toBe(entry.body.hash);
  });

  it('refuses a page size it cannot serve, with a clear error', async () => {
    const response = await api.get('/verify?limit=5000');
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('validation_error');
  });
});
