import { beforeAll, describe, expect, it } from 'vitest';
import { deleteValue, setValue } from '#app/commands.ts';
import { getEntryAt } from '#app/queries.ts';
import { EntryNotFoundError } from '#domain/errors.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import { allEvents, createTestTables, testStores } from '#test/stores.ts';

const stores = testStores();
const name = 'feature.flags';
let history: ConfigEvent[];

const shift = (instant: string, ms: number) => new Date(Date.parse(instant) + ms).toISOString();

beforeAll(async () => {
  await createTestTables();
  let clock = Date.parse('2026-02-12T10:00:00.000Z');
  const now = () => clock;
  await setValue(stores.events, { name, value: toJsonText('v1'), actor: 'a' }, { now });
  clock += 60_000;
  await setValue(stores.events, { name, value: toJsonText('v2'), actor: 'a' }, { now });
  clock += 60_000;
  await deleteValue(stores.events, { name, actor: 'a' }, { now });
  clock += 60_000;
  await setValue(stores.events, { name, value: toJsonText('v4'), actor: 'a' }, { now });
  // A write whose clock is behind: it still lands after the previous event.
  clock -= 3_600_000;
  await setValue(stores.events, { name, value: toJsonText('v5'), actor: 'a' }, { now });
  history = (await allEvents(stores)).filter((event) => event.name === name);
});

/** At the instant, the entry is what the event left: its value, or nothing after a delete. */
async function expectStateAt(instant: string, event: ConfigEvent) {
  if (event.type === 'ConfigValueDeleted') {
    await expect(getEntryAt(stores, name, instant)).rejects.toThrow(EntryNotFoundError);
    return;
  }
  await expect(getEntryAt(stores, name, instant)).resolves.toMatchObject({
    version: event.version,
    value: event.value,
    updatedAt: event.occurredAt,
  });
}

describe('Integration: time travel at exact event boundaries', () => {
  it('is not found before the first event', async () => {
    const first = history[0] as ConfigEvent;
    await expect(getEntryAt(stores, name, shift(first.occurredAt, -1))).rejects.toThrow(
      EntryNotFoundError,
    );
  });

  it('returns each event exactly at its instant, and until the next one', async () => {
    for (const [index, event] of history.entries()) {
      const next = history[index + 1];
      await expectStateAt(event.occurredAt, event);
      if (next) await expectStateAt(shift(next.occurredAt, -1), event);
    }
  });

  it('keeps instants strictly increasing even when a writer clock goes backwards', () => {
    const [, , , fourth, fifth] = history;
    expect(fifth?.occurredAt).toBe(shift(fourth?.occurredAt ?? '', 1));
  });

  it('is not found for a name that never existed', async () => {
    await expect(getEntryAt(stores, 'never.set', '2030-01-01T00:00:00.000Z')).rejects.toThrow(
      EntryNotFoundError,
    );
  });
});
