import type { LiveEntry } from '#domain/entry.ts';
import type { Instant } from '#domain/instant.ts';
import { mapLimited } from './concurrency.ts';
import { stateAt } from './states.ts';
import type { Stores } from './stores.ts';

export interface NamesPageQuery {
  readonly prefix: string;
  readonly limit: number;
  readonly afterName?: string;
}

export interface SnapshotPage {
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

/** Time travel for one name is one query; these many run at once. */
const parallelQueries = 16;

/**
 * The whole configuration (under a prefix) as it was at an instant: a page of every name that
 * ever existed, then one indexed time-travel query per name. Its cost grows with the number of
 * names, never with the number of events.
 */
export async function snapshotAt(
  stores: Stores,
  instant: Instant,
  page: NamesPageQuery,
): Promise<SnapshotPage> {
  const names = await stores.projection.listNames(page.prefix, page.limit, page.afterName);
  const states = await mapLimited(names.names, parallelQueries, (name) =>
    stateAt(stores.events, name, instant),
  );
  const entries = states.flatMap((state) => (state.current ? [state.current] : []));
  return names.lastName === undefined ? { entries } : { entries, lastName: names.lastName };
}

/** Which names changed between two instants, and how: two time-travel queries per name. */
export async function changesBetween(
  stores: Stores,
  from: Instant,
  to: Instant,
  page: NamesPageQuery,
): Promise<ChangesPage> {
  const names = await stores.projection.listNames(page.prefix, page.limit, page.afterName);
  const compared = await mapLimited(names.names, parallelQueries, async (name) => {
    const [before, after] = await Promise.all([
      stateAt(stores.events, name, from),
      stateAt(stores.events, name, to),
    ]);
    return changeOf(name, before.current, after.current);
  });
  const changes = compared.flatMap((change) => (change ? [change] : []));
  return names.lastName === undefined ? { changes } : { changes, lastName: names.lastName };
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
