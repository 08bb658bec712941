import type { EntryState, LiveEntry } from '#domain/entry.ts';
import { EntryNotFoundError } from '#domain/errors.ts';
import type { ConfigEvent, Revision } from '#domain/events.ts';
import type { Instant } from '#domain/instant.ts';
import { LedgerView } from './ledger-view.ts';
import type { Stores } from './stores.ts';

/** What a read returns, and the revision it shows. */
export interface AtRevision<T> {
  readonly revision: Revision;
  readonly result: T;
}

/** How fresh a read of one entry must be. */
export type EntryReadPoint =
  /** As far as the projector has got: one read of the projection, milliseconds behind. */
  | { readonly kind: 'projected' }
  /** Every change acknowledged before the request (the log's newest commit). */
  | { readonly kind: 'newest' }
  /** Exactly this revision. */
  | { readonly kind: 'revision'; readonly revision: Revision };

/** The current entry at a point; 404 when it does not exist there. */
export async function getEntry(
  stores: Stores,
  name: string,
  point: EntryReadPoint,
): Promise<AtRevision<LiveEntry>> {
  const { revision, result } = await stateAtPoint(stores, name, point);
  if (!result.current) throw new EntryNotFoundError(name);
  return { revision, result: result.current };
}

async function stateAtPoint(
  stores: Stores,
  name: string,
  point: EntryReadPoint,
): Promise<AtRevision<EntryState>> {
  switch (point.kind) {
    case 'projected':
      return stateIn(await LedgerView.projected(stores), name);
    case 'newest':
      return stateIn(await LedgerView.atNewest(stores), name);
    case 'revision':
      return stateIn(await LedgerView.at(stores, point.revision), name);
    default: {
      const unhandled: never = point;
      return unhandled;
    }
  }
}

async function stateIn(view: LedgerView, name: string): Promise<AtRevision<EntryState>> {
  return { revision: view.revision, result: await view.stateOf(name) };
}

export interface HistoryPage {
  readonly events: ConfigEvent[];
  /** When more may follow: the revision to continue after. */
  readonly lastRevision?: Revision;
}

/** A name's events in order, after a revision, as of a revision (the newest one when absent). */
export async function getHistory(
  stores: Stores,
  name: string,
  page: { limit: number; maxBytes: number; afterRevision?: Revision; through?: Revision },
): Promise<AtRevision<HistoryPage>> {
  const view =
    page.through === undefined
      ? await LedgerView.atNewest(stores)
      : await LedgerView.at(stores, page.through);
  const after = page.afterRevision ?? 0;
  const read = await view.historyOf(name, after, page);
  if (read.events.length === 0 && after === 0) {
    throw new EntryNotFoundError(name, `'${name}' has never been set.`);
  }
  const last = read.events.at(-1);
  return {
    revision: view.revision,
    result:
      read.more && last
        ? { events: read.events, lastRevision: last.revision }
        : { events: read.events },
  };
}

/** The entry as it was at an instant: the state at the revision current then. */
export async function getEntryAt(
  stores: Stores,
  name: string,
  instant: Instant,
): Promise<AtRevision<LiveEntry>> {
  const revision = await stores.log.revisionAt(instant, await stores.log.newest());
  const view = await LedgerView.at(stores, revision);
  const state = await view.stateOf(name);
  if (!state.current) {
    throw new EntryNotFoundError(name, `'${name}' did not exist at ${instant}.`);
  }
  return { revision, result: state.current };
}
