import { beforeAll, describe, expect, it } from 'vitest';
import { type ChangesStart, readChanges } from '#app/changes.ts';
import { deleteValue, setValue } from '#app/commands.ts';
import { importEntries } from '#app/transfer.ts';
import { RevisionNotFoundError } from '#domain/errors.ts';
import type { Commit, ConfigEvent } from '#domain/events.ts';
import { type JsonValue, toJsonText } from '#domain/json.ts';
import { allCommits, createTestTables, testStores } from '#test/stores.ts';

const stores = testStores();
let commits: Commit[];
let events: ConfigEvent[];

/** Writes at exact instants, so that `since` can fall between, on or after commits. */
async function writeAt(instant: string, write: (now: () => number) => Promise<unknown>) {
  await write(() => Date.parse(instant));
}

beforeAll(async () => {
  await createTestTables();
  const set = (name: string, value: JsonValue) => (now: () => number) =>
    setValue(stores, { name, value: toJsonText(value), actor: 'ops' }, { now });
  await writeAt('2026-02-12T10:00:00.000Z', set('alpha', 1));
  await writeAt('2026-02-12T10:00:01.000Z', set('Zed', 1));
  await writeAt('2026-02-12T10:00:01.000Z', set('alpha', 2));
  await writeAt('2026-02-12T10:00:05.000Z', (now) =>
    deleteValue(stores, { name: 'alpha', actor: 'ops' }, { now }),
  );
  await writeAt('2026-02-12T10:00:09.999Z', set('beta', 2));
  // One commit with three changes, now: an import.
  await importEntries(
    stores,
    ['beta', 'gamma', '0.first'].map((name) => ({ name, value: toJsonText(name) })),
    { dryRun: false, actor: 'ops', comment: 'three at once' },
  );
  commits = await allCommits(stores);
  events = commits.flatMap((commit) => commit.events);
});

/** Follows the feed page by page from a start, as a client that goes on with `after` does. */
async function readAll(start: ChangesStart, limit: number, maxBytes = 1_000_000) {
  const read: Commit[][] = [];
  let query: ChangesStart = start;
  for (let pages = 0; pages < 100; pages++) {
    const page = await readChanges(stores, { ...query, limit, maxBytes, waitMs: 0 });
    if (page.commits.length === 0) return { pages: read, revision: page.revision };
    read.push(page.commits);
    query = { after: page.revision };
  }
  throw new Error('The feed did not end.');
}

const changesOf = (pages: Commit[][]) => pages.flat().flatMap((commit) => commit.events);

describe('Integration: the change feed on a real engine', () => {
  it('gives every change once, in revision order, whatever the page size', async () => {
    for (const limit of [1, 2, 3, 7, 1000]) {
      const { pages, revision } = await readAll({ after: 0 }, limit);
      expect(changesOf(pages)).toEqual(events);
      expect(revision).toBe(commits.at(-1)?.revision);
    }
  });

  it('never splits a commit: its changes arrive together, even past the limit', async () => {
    const { pages } = await readAll({ after: 0 }, 1);
    const multi = pages.find((page) => page.some((commit) => commit.events.length === 3));
    expect(multi).toHaveLength(1);
    expect(multi?.[0]?.events.map((event) => event.name)).toEqual(['beta', 'gamma', '0.first']);
    expect(multi?.[0]?.events.map((event) => event.version)).toEqual([2, 1, 1]);
  });

  it('has dense revisions, one per commit, and each name in version order', () => {
    expect(commits.map((commit) => commit.revision)).toEqual(commits.map((_, index) => index + 1));
    for (const name of ['alpha', 'beta', 'gamma', 'Zed', '0.first']) {
      const versions = events.filter((event) => event.name === name).map((e) => e.version);
      expect(versions).toEqual(versions.map((_, index) => index + 1));
    }
  });

  it('says whether more was already waiting beyond a page', async () => {
    const first = await readChanges(stores, { after: 0, limit: 2, maxBytes: 1e6, waitMs: 0 });
    const rest = await readChanges(stores, { after: 0, limit: 1000, maxBytes: 1e6, waitMs: 0 });
    expect(first.more).toBe(true);
    expect(rest.more).toBe(false);
  });

  it('keeps a page within its byte budget, a commit at a time', async () => {
    const { pages } = await readAll({ after: 0 }, 1000, 1);
    expect(pages.every((page) => page.length === 1)).toBe(true);
    expect(changesOf(pages)).toEqual(events);
  });

  it('starts at the first change at or after an instant between, on and after commits', async () => {
    const from = (instant: string) => events.filter((event) => event.occurredAt >= instant);
    for (const instant of [
      '2026-02-12T10:00:00.500Z',
      '2026-02-12T10:00:01.000Z',
      '2026-02-12T10:00:05.000Z',
    ]) {
      const { pages } = await readAll({ since: instant }, 2);
      expect(changesOf(pages)).toEqual(from(instant));
    }
  });

  it('answers an instant after every change with no change and the newest revision', async () => {
    const page = await readChanges(stores, {
      since: '9999-01-01T00:00:00.000Z',
      limit: 10,
      maxBytes: 1e6,
      waitMs: 0,
    });
    expect(page).toEqual({ commits: [], revision: commits.at(-1)?.revision, more: false });
  });

  it('refuses to resume after a revision that does not exist yet', async () => {
    const beyond = (commits.at(-1)?.revision ?? 0) + 5;
    await expect(
      readChanges(stores, { after: beyond, limit: 10, maxBytes: 1e6, waitMs: 0 }),
    ).rejects.toThrow(RevisionNotFoundError);
  });

  it('waits for the next commit (a long poll) and answers with it at once', async () => {
    const newest = commits.at(-1)?.revision ?? 0;
    const started = performance.now();
    const waiting = readChanges(
      stores,
      { after: newest, limit: 10, maxBytes: 1e6, waitMs: 10_000 },
      { pollIntervalMs: 20 },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await setValue(stores, { name: 'late.arrival', value: toJsonText(1), actor: 'ops' });
    const page = await waiting;
    expect(page.commits.map((commit) => commit.revision)).toEqual([newest + 1]);
    expect(performance.now() - started).toBeLessThan(9_000);
  });
});
