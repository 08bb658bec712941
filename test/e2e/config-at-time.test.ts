import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '#test/http.ts';
import { projectionCaughtUp } from '#test/load.ts';
import { type LocalStackProcess, startLocalStackProcess } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

let stack: LocalStackProcess;
let api: ReturnType<typeof apiClient>;
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
const namesOf = (items: { name: string }[]) => items.map((item) => item.name);
let beforeAnything: string;
let afterFirstRound: string;
let afterSecondRound: string;

beforeAll(async () => {
  stack = await startLocalStackProcess({
    DATA_DIR: await scratchDir('snapshot'),
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  api = apiClient(stack.url);
  beforeAnything = new Date().toISOString();
  await pause();
  for (const name of ['app.a', 'app.b', 'app.c', 'other.x'])
    await api.put(`/config/${name}`, { value: 1 });
  await pause();
  afterFirstRound = new Date().toISOString();
  await pause();
  await api.put('/config/app.a', { value: 2 });
  await api.delete('/config/app.b');
  await api.put('/config/app.d', { value: 1 });
  await pause();
  afterSecondRound = new Date().toISOString();
  await projectionCaughtUp(stack.url);
});

afterAll(async () => {
  await stack.stop();
});

describe('E2E: GET /config?at= (the whole configuration at an instant)', () => {
  it('is empty before the first event', async () => {
    const snapshot = await api.get(`/config?at=${beforeAnything}`);
    expect(snapshot.status).toBe(200);
    expect(snapshot.body).toEqual({ revision: 0, at: expect.any(String), items: [] });
  });

  it('shows every entry as it was, deleted ones included while they existed', async () => {
    const first = await api.get(`/config?at=${afterFirstRound}&prefix=app.`);
    expect(namesOf(first.body.items)).toEqual(['app.a', 'app.b', 'app.c']);
    expect(first.body.items[0]).toMatchObject({ value: 1, version: 1 });

    const second = await api.get(`/config?at=${afterSecondRound}&prefix=app.`);
    expect(namesOf(second.body.items)).toEqual(['app.a', 'app.c', 'app.d']);
    expect(second.body.items[0]).toMatchObject({ value: 2, version: 2 });
  });

  it('pages through names with nextToken', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await api.get(
        `/config?at=${afterFirstRound}&limit=2${token ? `&nextToken=${token}` : ''}`,
      );
      seen.push(...namesOf(page.body.items));
      token = page.body.nextToken;
    } while (token);
    expect(seen).toEqual(['app.a', 'app.b', 'app.c', 'other.x']);
  });

  it('refuses a malformed instant and a token from another instant', async () => {
    expect((await api.get('/config?at=noon')).status).toBe(400);
    const page = await api.get(`/config?at=${afterFirstRound}&limit=1`);
    expect(
      (await api.get(`/config?at=${afterSecondRound}&limit=1&nextToken=${page.body.nextToken}`))
        .status,
    ).toBe(400);
  });
});

describe('E2E: GET /config/diff (which names changed between two instants)', () => {
  it('lists created, updated and deleted names with their versions', async () => {
    const diff = await api.get(`/config/diff?from=${afterFirstRound}&to=${afterSecondRound}`);
    expect(diff.status).toBe(200);
    expect(diff.body.changes).toEqual([
      { name: 'app.a', change: 'updated', fromVersion: 1, toVersion: 2 },
      { name: 'app.b', change: 'deleted', fromVersion: 1 },
      { name: 'app.d', change: 'created', toVersion: 1 },
    ]);
  });

  it('is empty between two instants with no change, and needs both instants', async () => {
    const none = await api.get(
      `/config/diff?from=${afterSecondRound}&to=${new Date().toISOString()}`,
    );
    expect(none.body.changes).toEqual([]);
    expect((await api.get(`/config/diff?from=${afterFirstRound}`)).status).toBe(400);
  });

  it('keeps the name "diff" for this route', async () => {
    const reserved = await api.put('/config/diff', { value: 1 });
    expect(reserved.status).toBe(400);
    expect(reserved.body.message).toMatch(/reserved/);
  });
});
