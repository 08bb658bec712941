import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#http/routes.ts';
import type { ApiResponse } from '#test/http.ts';
import { projectionCaughtUp } from '#test/load.ts';
import { useLocalStack } from '#test/local-stack-process.ts';
import { expectDocumented } from './openapi-conformance.ts';

const { api, url } = useLocalStack();

/** A caller limited to `payments.`: reads and writes there, nothing anywhere else. */
const payments = {
  'x-actor': 'payments-team',
  'x-scopes': 'config:prefixed config:write:payments.',
};
const secret = 'SEARCH-SECRET';
const format = 'config-ledger/v1';

const asPayments = (method: string, path: string, json?: unknown, headers = {}) =>
  api.call(method, path, { json, headers: { ...payments, ...headers } });
const newestRevision = async () => (await api.get('/health')).body.revision as number;

/**
 * Nothing about `search.*` in the answer: no value, and no name under `search.` the caller did
 * not send (a refusal may repeat the bare prefix it was asked about).
 */
function expectNothingOfSearch(response: ApiResponse, sentNames: readonly string[] = []) {
  expect(response.text).not.toContain(secret);
  let text = response.text;
  for (const name of sentNames) text = text.replaceAll(name, '');
  expect(text).not.toMatch(/search\.[A-Za-z0-9_:-]/);
}

function expectForbidden(response: ApiResponse) {
  expect(response.status).toBe(403);
  expect(response.body).toMatchObject({ error: 'forbidden', message: expect.any(String) });
}

let firstSearchRevision = 0;
let instant = '';

beforeAll(async () => {
  await api.put('/config/payments.a', { value: 1 });
  firstSearchRevision = (await api.put('/config/search.secret', { value: `${secret}-1` })).body
    .revision;
  await api.put('/config/search.secret', { value: `${secret}-2` });
  await api.put('/config/payments.b', { value: { on: true } });
  await api.put('/config/shared.flag', { value: true });
  const searchSchema = { schema: { type: 'string', description: `${secret} schema` } };
  expect((await api.put('/schemas/search.', searchSchema)).status).toBeLessThan(300);
  instant = new Date().toISOString();
  await projectionCaughtUp(url());
});

/**
 * One request per route of the route table, each aimed at `search.*` by a caller limited to
 * `payments.`: refused (403), or answered with nothing of `search.*`.
 */
const probes: Record<string, () => Promise<ApiResponse>> = {
  'PUT /config/{name}': () => asPayments('PUT', '/config/search.secret', { value: 'x' }),
  'DELETE /config/{name}': () => asPayments('DELETE', '/config/search.secret'),
  'GET /config/{name}': () => asPayments('GET', '/config/search.secret?consistent=true'),
  'GET /config': () => asPayments('GET', `/config?revision=${firstSearchRevision}`),
  'GET /config/{name}/history': () => asPayments('GET', '/config/search.secret/history'),
  'GET /config/{name}/at/{timestamp}': () =>
    asPayments('GET', `/config/search.secret/at/${instant}`),
  'POST /config/{name}/revert': () =>
    asPayments('POST', '/config/search.secret/revert', { toVersion: 1 }),
  'GET /config/{name}/diff': () => asPayments('GET', '/config/search.secret/diff?from=1'),
  'GET /config/diff': () => asPayments('GET', '/config/diff?from=0&to=5'),
  'GET /export': () => asPayments('GET', `/export?at=${instant}`),
  'POST /import': () =>
    asPayments('POST', '/import?dryRun=true', {
      format,
      entries: [{ name: 'search.secret', value: `${secret}-2` }],
    }),
  'POST /changesets': () =>
    asPayments('POST', '/changesets?dryRun=true', {
      operations: [{ op: 'revert', name: 'search.secret', toVersion: 1 }],
    }),
  'GET /changes': () => asPayments('GET', '/changes?after=0'),
  'GET /verify': () => asPayments('GET', '/verify'),
  'PUT /schemas/{target}': () =>
    asPayments('PUT', '/schemas/search.?dryRun=true', { schema: { type: 'number' } }),
  'GET /schemas/{target}': () => asPayments('GET', '/schemas/search.'),
  'GET /schemas': () => asPayments('GET', '/schemas'),
  'DELETE /schemas/{target}': () => asPayments('DELETE', '/schemas/search.'),
  'GET /schemas/{target}/history': () => asPayments('GET', '/schemas/search./history'),
  'GET /health': () => asPayments('GET', '/health'),
  'GET /openapi.json': () => asPayments('GET', '/openapi.json'),
};

describe('E2E: access by prefix, a caller limited to payments.', () => {
  it('has a probe for every route of the route table', () => {
    expect(Object.keys(probes).sort()).toEqual(
      routes.map((route) => `${route.method} ${route.path}`).sort(),
    );
  });

  it.each(Object.keys(probes))('learns nothing of search.* through %s', async (route) => {
    const before = await newestRevision();
    const response = await probes[route]?.();
    expect(response).toBeDefined();
    if (!response) return;
    expect([200, 403]).toContain(response.status);
    expectNothingOfSearch(response, ['search.secret']);
    const [method = '', path = ''] = route.split(' ');
    await expectDocumented(method, path, response);
    expect(await newestRevision()).toBe(before);
  });

  it('answers a name outside its prefixes the same whether it exists or not', async () => {
    const existing = await asPayments('GET', '/config/search.secret');
    const absent = await asPayments('GET', '/config/search.nothing');
    expectForbidden(existing);
    expect(absent.status).toBe(403);
    expect(absent.body.message.replace('search.nothing', 'NAME')).toBe(
      existing.body.message.replace('search.secret', 'NAME'),
    );
    expect(existing.headers.get('etag')).toBeNull();
    expect(existing.headers.get('config-revision')).toBeNull();
  });

  it('refuses a listing, diff or export under a prefix it may not read', async () => {
    for (const path of [
      '/config?prefix=search.',
      '/config/diff?from=0&to=1&prefix=search',
      '/export?prefix=search.',
    ]) {
      const response = await asPayments('GET', path);
      expectForbidden(response);
      expectNothingOfSearch(response, ['search.', 'search']);
    }
  });

  it('lists, diffs and exports its own names, as of any point', async () => {
    const listed = await asPayments('GET', '/config');
    expect(listed.body.items.map((item: { name: string }) => item.name)).toEqual([
      'payments.a',
      'payments.b',
    ]);
    const diff = await asPayments('GET', '/config/diff?from=0&to=5');
    expect(diff.body.changes.map((change: { name: string }) => change.name)).toEqual([
      'payments.a',
      'payments.b',
    ]);
    const exported = await asPayments('GET', '/export?prefix=payments.');
    expect(exported.body.entries.map((entry: { name: string }) => entry.name)).toEqual([
      'payments.a',
      'payments.b',
    ]);
  });

  it('pages a listing across several prefixes without a page token leaking a name', async () => {
    const both = { 'x-scopes': 'config:prefixed config:read:payments. config:read:shared.' };
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await api.get(
        `/config?limit=1${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`,
        { headers: both },
      );
      expect(page.status).toBe(200);
      expectNothingOfSearch(page);
      if (page.body.nextToken) {
        const [payload = ''] = String(page.body.nextToken).split('.');
        expect(Buffer.from(payload, 'base64url').toString()).not.toContain('search');
      }
      names.push(...page.body.items.map((item: { name: string }) => item.name));
      token = page.body.nextToken;
    } while (token);
    expect(names).toEqual(['payments.a', 'payments.b', 'shared.flag']);
  });

  it('writes its own names: set, revert, import and changesets', async () => {
    expect((await asPayments('PUT', '/config/payments.c', { value: 3 })).status).toBe(201);
    const reverted = await asPayments('POST', '/config/payments.c/revert', { toVersion: 1 });
    expect(reverted.status).toBe(200);
    const imported = await asPayments('POST', '/import', {
      format,
      entries: [{ name: 'payments.d', value: 4 }],
    });
    expect(imported.body.summary).toMatchObject({ create: 1 });
    const changeset = await asPayments('POST', '/changesets', {
      operations: [{ op: 'set', name: 'payments.e', value: 5 }],
    });
    expect(changeset.status).toBe(200);
  });

  it('refuses a whole import or changeset that names search.*, writing nothing', async () => {
    const before = await newestRevision();
    const document = {
      format,
      entries: [
        { name: 'payments.f', value: 6 },
        { name: 'search.secret', value: 'overwritten' },
      ],
    };
    for (const response of [
      await asPayments('POST', '/import', document),
      await asPayments('POST', '/changesets', {
        operations: [
          { op: 'set', name: 'payments.f', value: 6 },
          { op: 'delete', name: 'search.secret' },
        ],
      }),
      await asPayments('POST', '/changesets?dryRun=true', {
        operations: [{ op: 'delete', name: 'search.secret', expectedVersion: 7 }],
      }),
    ]) {
      expectForbidden(response);
      expect(response.body.details).toEqual({ names: ['search.secret'] });
      expectNothingOfSearch(response, ['search.secret']);
    }
    expect(await newestRevision()).toBe(before);
    const untouched = await api.get('/config/search.secret?consistent=true');
    expect(untouched.body.value).toBe(`${secret}-2`);
  });

  it('follows the feed: only its names, resuming exactly past the others', async () => {
    const start = await newestRevision();
    await api.put('/config/search.secret', { value: `${secret}-3` });
    const quiet = await asPayments('GET', `/changes?after=${start}&wait=0`);
    expect(quiet.body.changes).toEqual([]);
    expect(quiet.body.revision).toBe(start + 1);
    expectNothingOfSearch(quiet);
    await api.put('/config/payments.a', { value: 2 });
    const next = await asPayments('GET', `/changes?after=${quiet.body.revision}`);
    expect(next.body.changes.map((change: { name: string }) => change.name)).toEqual([
      'payments.a',
    ]);
    expect(next.body.revision).toBe(start + 2);
  });

  it('keeps waiting on a long poll while only names it may not read change', async () => {
    const start = await newestRevision();
    const poll = asPayments('GET', `/changes?after=${start}&wait=2`);
    await api.put('/config/search.secret', { value: `${secret}-4` });
    const answer = await poll;
    expect(answer.body.changes).toEqual([]);
    expect(answer.body.revision).toBe(start + 1);
  });

  it('keeps an export ETag when only names it may not read change', async () => {
    const first = await asPayments('GET', '/export?prefix=payments.');
    const etag = first.headers.get('etag') ?? '';
    await api.put('/config/search.secret', { value: `${secret}-5` });
    await projectionCaughtUp(url());
    const again = await asPayments('GET', '/export?prefix=payments.', undefined, {
      'if-none-match': etag,
    });
    expect(again.status).toBe(304);
  });
});

describe('E2E: access by prefix, the scopes of a token', () => {
  it('reads but never writes with read scopes only', async () => {
    const reader = { 'x-scopes': 'config:prefixed config:read:payments.' };
    expect((await api.get('/config/payments.a', { headers: reader })).status).toBe(200);
    const write = await api.call('PUT', '/config/payments.a', {
      json: { value: 9 },
      headers: reader,
    });
    expectForbidden(write);
  });

  it('is refused at the gateway without a scope the route accepts', async () => {
    const response = await api.get('/config/payments.a', {
      headers: { 'x-scopes': 'config:read:payments.' },
    });
    expectForbidden(response);
  });

  it('reads everything with config:read, and writes nothing', async () => {
    const reader = { 'x-scopes': 'config:read' };
    const listed = await api.get('/config', { headers: reader });
    expect(listed.body.items.length).toBeGreaterThan(3);
    expectForbidden(await api.call('DELETE', '/config/payments.a', { headers: reader }));
  });
});
