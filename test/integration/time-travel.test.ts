import { beforeAll, describe, expect, it } from 'vitest';
import { deleteValue, setValue } from '#app/commands.ts';
import { getEntry, getEntryAt } from '#app/queries.ts';
import { EntryNotFoundError, RevisionNotFoundError } from '#domain/errors.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import { allCommits, createTestTables, keepProjecting, testStores } from '#test/stores.ts';

const stores = testStores();
const name = 'feature.flags';
let history: ConfigEvent[];

const shift = (instant: string, ms: number) => new Date(Date.parse(instant) + ms).toISOString();

beforeAll(async () => {
  await createTestTables();
  let clock = Date.parse('2026-02-12T10:00:00.000Z');
  const now = () => clock;
  const other = () =>
    setValue(stores, { name: 'other', value: toJsonText(clock), actor: 'b' }, { now });
  await setValue(stores, { name, value: toJsonText('v1'), actor: 'a' }, { now });
  clock += 60_000;
  await other();
  await setValue(stores, { name, value: toJsonText('v2'), actor: 'a' }, { now });
  clock += 60_000;
  await deleteValue(stores, { name, actor: 'a' }, { now });
  clock += 60_000;
  await setValue(stores, { name, value: toJsonText('v4'), actor: 'a' }, { now });
  await other();
  // A write whose clock is behind: its instant is still not before the previous commit's.
  clock -= 3_600_000;
  await setValue(stores, { name, value: toJsonText('v5'), actor: 'a' }, { now });
  history = (await allCommits(stores))
    .flatMap((commit) => commit.events)
    .filter((event) => event.name === name);
});

/** At the instant, the entry is what the event left: its value, or nothing after a delete. */
async function expectStateAt(instant: string, event: ConfigEvent) {
  if (event.type === 'ConfigValueDeleted') {
    await expect(getEntryAt(stores, name, instant)).rejects.toThrow(EntryNotFoundError);
    return;
  }
  const { result } = await getEntryAt(stores, name, instant);
  expect(result).toMatchObject({ version: event.version, value: event.value });
}

describe('Integration: time travel at exact boundaries', () => {
  it('is not found before the first event', async () => {
    const first = history[0] as ConfigEvent;
    await expect(getEntryAt(stores, name, shift(first.occurredAt, -1))).rejects.toThrow(
      EntryNotFoundError,
    );
  });

  it('returns the last event at each instant, and keeps it until the next one', async () => {
    for (const [index, event] of history.entries()) {
      const next = history[index + 1];
      if (next?.occurredAt === event.occurredAt) continue;
      await expectStateAt(event.occurredAt, event);
      if (next) await expectStateAt(shift(next.occurredAt, -1), event);
    }
  });

  it('shows every revision exactly, before the projector has applied any of it', async () => {
    for (const event of history) {
      const read = getEntry(stores, name, { kind: 'revision', revision: event.revision });
      if (event.type === 'ConfigValueDeleted')
        await expect(read).rejects.toThrow(EntryNotFoundError);
      else
        await expect(read).resolves.toMatchObject({
          revision: event.revision,
          result: { version: event.version },
        });
    }
    expect((await stores.projection.progress()).revision).toBe(0);
  });

  it('shows the same after the projector has caught up', async () => {
    await keepProjecting(stores).stop();
    for (const event of history.filter((e) => e.type === 'ConfigValueSet')) {
      await expect(
        getEntry(stores, name, { kind: 'revision', revision: event.revision }),
      ).resolves.toMatchObject({ result: { version: event.version, value: event.value } });
    }
  });

  it('never lets an instant go back along the revisions, even when a writer clock does', () => {
    const [, , , fourth, fifth] = history;
    expect(fifth?.occurredAt).toBe(fourth?.occurredAt);
    expect(fifth?.revision).toBeGreaterThan(fourth?.revision ?? 0);
  });

  it('is not found for a name that never existed, and 404s a revision not yet made', async () => {
    await expect(getEntryAt(stores, 'never.set', '2030-01-01T00:00:00.000Z')).rejects.toThrow(
      EntryNotFoundError,
    );
    await expect(getEntry(stores, name, { kind: 'revision', revision: 999 })).rejects.toThrow(
      RevisionNotFoundError,
    );
    // Farther ahead than a read folds in by itself: still a revision not made, not a wait.
    const farAhead = limits.tailMaxCommits * 5;
    await expect(getEntry(stores, name, { kind: 'revision', revision: farAhead })).rejects.toThrow(
      RevisionNotFoundError,
    );
  });
});
