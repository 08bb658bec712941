import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { openApiDocument } from '#http/openapi.ts';
import * as schemas from '#http/response-schemas.ts';
import { apiClient } from '#test/http.ts';
import { projectionCaughtUp } from '#test/load.ts';
import { type LocalStackProcess, startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

let stack: LocalStackProcess;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStackProcess({
    DATA_DIR: await scratchDir('openapi'),
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  api = apiClient(stack.url);
  await api.put('/config/doc.a', { value: { n: 1 }, comment: 'first' });
  await api.put('/config/doc.a', { value: { n: 2 } });
  await projectionCaughtUp(stack.url);
});

afterAll(async () => {
  await stack.stop();
});

function expectShape(schema: z.ZodType, body: unknown) {
  const result = schema.safeParse(body);
  expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
}

describe('E2E: the OpenAPI document and the answers it describes', () => {
  it('is served at /openapi.json', async () => {
    const served = await api.get('/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('matches what every read and write route really answers', async () => {
    const now = new Date().toISOString();
    const checks: [z.ZodType, Promise<{ status: number; body: unknown }>][] = [
      [schemas.entryResponse, api.put('/config/doc.b', { value: [1] })],
      [schemas.entryResponse, api.get('/config/doc.a')],
      [schemas.entryListResponse, api.get('/config?prefix=doc.')],
      [schemas.entryListResponse, api.get(`/config?at=${now}`)],
      [schemas.entryListResponse, api.get('/config?revision=1')],
      [schemas.entryResponse, api.get('/config/doc.a?revision=2')],
      [schemas.historyResponse, api.get('/config/doc.a/history')],
      [schemas.entryResponse, api.get(`/config/doc.a/at/${now}`)],
      [schemas.entryDiffResponse, api.get('/config/doc.a/diff?from=1&to=2')],
      [schemas.namesDiffResponse, api.get(`/config/diff?from=2020-01-01T00:00:00Z&to=${now}`)],
      [schemas.namesDiffResponse, api.get('/config/diff?from=1&to=2')],
      [schemas.changesResponse, api.get('/changes')],
      [schemas.changesResponse, api.get('/changes?since=2020-01-01T00:00:00Z&limit=1')],
      [schemas.changesResponse, api.get(`/changes?since=${now}`)],
      [schemas.exportResponse, api.get('/export')],
      [schemas.exportResponse, api.get('/export?revision=1')],
      [
        schemas.importResponse,
        api.call('POST', '/import?dryRun=true', {
          json: { format: 'config-ledger/v1', entries: [] },
        }),
      ],
      [
        schemas.changesetResponse,
        api.call('POST', '/changesets?dryRun=true', {
          json: { operations: [{ op: 'set', name: 'doc.c', value: 1 }] },
        }),
      ],
      [schemas.healthResponse, api.get('/health')],
      [schemas.errorResponseSchema, api.get('/config/doc.none')],
    ];
    for (const [schema, pending] of checks) {
      const response = await pending;
      expect(response.status).toBeLessThan(500);
      expectShape(schema, response.body);
    }
    expectShape(
      schemas.entryResponse,
      (await api.call('POST', '/config/doc.a/revert', { json: { toVersion: 1 } })).body,
    );
    expectShape(schemas.deletedResponse, (await api.delete('/config/doc.b')).body);
    const changeset = { operations: [{ op: 'revert', name: 'doc.a', toVersion: 1 }] };
    expectShape(
      schemas.changesetResponse,
      (await api.call('POST', '/changesets', { json: changeset })).body,
    );
  });
});
