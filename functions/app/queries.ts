import type { LiveEntry } from '#domain/entry.ts';
import { EntryNotFoundError } from '#domain/errors.ts';
import type { Instant } from '#domain/instant.ts';
import type { EventPage, EventStore } from '#store/event-store.ts';
import type { EntryPage } from '#store/projection-store.ts';
import { currentState, stateAt } from './states.ts';
import type { Stores } from './stores.ts';

/**
 * The current entry. By default from the projection (real time, one read); `consistent` folds
 * the events table instead, for callers that must see their own write whatever the projector's lag.
 */
export async function getEntry(
  stores: Stores,
  name: string,
  options: { consistent: boolean },
): Promise<LiveEntry> {
  const entry = options.consistent
    ? await currentFromEvents(stores.events, name)
    : await stores.projection.get(name);
  if (!entry) throw new EntryNotFoundError(name);
  return entry;
}

async function currentFromEvents(events: EventStore, name: string): Promise<LiveEntry | undefined> {
  return (await currentState(events, name)).current;
}

export function listEntries(
  stores: Pick<Stores, 'projection'>,
  query: { prefix: string; limit: number; afterName?: string },
): Promise<EntryPage> {
  return stores.projection.list(query.prefix, query.limit, query.afterName);
}

export async function getHistory(
  stores: Pick<Stores, 'events'>,
  name: string,
  page: { limit: number; afterVersion?: number },
): Promise<EventPage> {
  const result = await stores.events.readPage(name, page.limit, page.afterVersion);
  if (result.events.length === 0 && !(await nameHasHistory(stores.events, name))) {
    throw new EntryNotFoundError(name, `'${name}' has never been set.`);
  }
  return result;
}

async function nameHasHistory(events: EventStore, name: string): Promise<boolean> {
  return (await events.readHead(name)) !== undefined;
}

/** The entry as it was at an instant: the latest event at or before it, by one indexed query. */
export async function getEntryAt(
  stores: Pick<Stores, 'events'>,
  name: string,
  instant: Instant,
): Promise<LiveEntry> {
  const entry = (await stateAt(stores.events, name, instant)).current;
  if (!entry) {
    throw new EntryNotFoundError(name, `'${name}' did not exist at ${instant}.`);
  }
  return entry;
}
