import type { EntryState, LiveEntry } from '#domain/entry.ts';
import { initialState, stateAfter } from '#domain/entry.ts';
import type { Revision } from '#domain/events.ts';
import { utf8Length } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import { mapLimited } from './concurrency.ts';
import type { Stores } from './stores.ts';

export interface NamesPageQuery {
  readonly prefix: string;
  readonly limit: number;
  readonly afterName?: string;
  /** Approximate bytes of values a page may hold (response budgets). */
  readonly maxBytes: number;
}

export interface EntriesPage {
  readonly entries: LiveEntry[];
  /** The last name examined, when more may follow (a page can hold fewer entries than names). */
  readonly lastName?: string;
}

export type NameChange = 'created' | 'updated' | 'deleted';

export interface ChangedName {
  readonly name: string;
  readonly change: NameChange;
  readonly fromVersion?: number;
  readonly toVersion?: number;
}

export interface ChangesPage {
  readonly changes: ChangedName[];
  readonly lastName?: string;
}

/**
 * The state of a name at a revision the projector has reached, from its projected item: the
 * item itself when it is not newer than that revision, else the name's history.
 */
async function stateAtRevision(
  stores: Stores,
  item: EntryState,
  revision: Revision,
): Promise<EntryState> {
  if (item.revision <= revision) return item;
  const event = await stores.history.newestAtOrBefore(item.name, revision);
  return event ? stateAfter(event) : initialState(item.name);
}

/**
 * The whole configuration (under a prefix) at a revision the projector has reached (see
 * awaitProjected): a page of every name that ever existed, from the projection in name order;
 * names changed since that revision are read from their history. Its cost grows with the names
 * in the page and with what changed since, never with the length of the history.
 */
export async function pageAt(
  stores: Stores,
  revision: Revision,
  query: NamesPageQuery,
): Promise<EntriesPage> {
  const page = await stores.projection.page(query.prefix, query.limit, query.afterName);
  const states = await mapLimited(page.states, limits.parallelReads, (item) =>
    stateAtRevision(stores, item, revision),
  );
  const entries: LiveEntry[] = [];
  let bytes = 0;
  for (const [index, state] of states.entries()) {
    if (!state.current) continue;
    bytes += utf8Length(state.current.value) + 300;
    if (bytes > query.maxBytes && entries.length > 0) {
      // The page is full: the next one starts after the last name that made it in.
      return { entries, lastName: page.states[index - 1]?.name };
    }
    entries.push(state.current);
  }
  return page.lastName === undefined ? { entries } : { entries, lastName: page.lastName };
}

/**
 * Which names changed between two revisions the projector has reached, and how. A name whose
 * projected item is not newer than the earlier revision did not change: only the others are
 * compared, each at both points.
 */
export async function changesBetween(
  stores: Stores,
  from: Revision,
  to: Revision,
  query: Omit<NamesPageQuery, 'maxBytes'>,
): Promise<ChangesPage> {
  const page = await stores.projection.page(query.prefix, query.limit, query.afterName);
  const changed = page.states.filter((item) => item.revision > Math.min(from, to));
  const compared = await mapLimited(changed, limits.parallelReads, async (item) => {
    const [before, after] = await Promise.all([
      stateAtRevision(stores, item, from),
      stateAtRevision(stores, item, to),
    ]);
    return changeOf(item.name, before.current, after.current);
  });
  const changes = compared.flatMap((change) => (change ? [change] : []));
  return page.lastName === undefined ? { changes } : { changes, lastName: page.lastName };
}

function changeOf(
  name: string,
  before: LiveEntry | undefined,
  after: LiveEntry | undefined,
): ChangedName | undefined {
  if (before && after) {
    return before.version === after.version
      ? undefined
      : { name, change: 'updated', fromVersion: before.version, toVersion: after.version };
  }
  if (after) return { name, change: 'created', toVersion: after.version };
  if (before) return { name, change: 'deleted', fromVersion: before.version };
  return undefined;
}
