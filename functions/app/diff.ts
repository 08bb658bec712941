import { type EntryState, fold, stateAfter } from '#domain/entry.ts';
import { EntryNotFoundError } from '#domain/errors.ts';
import type { Revision } from '#domain/events.ts';
import type { Instant } from '#domain/instant.ts';
import { parseJson } from '#domain/json.ts';
import { diffJson, type PatchOperation } from '#domain/json-patch.ts';
import { LedgerView } from './ledger-view.ts';
import type { AtRevision } from './queries.ts';
import type { Stores } from './stores.ts';

/** A point in a name's history: a version, an instant, or (absent) its current state. */
export type HistoryPoint = { readonly version: number } | { readonly instant: Instant };

export interface DiffSide {
  /** The version in force at that point; 0 before the first event. */
  readonly version: number;
  readonly exists: boolean;
}

export interface EntryDiff {
  readonly name: string;
  readonly from: DiffSide;
  readonly to: DiffSide;
  readonly patch: PatchOperation[];
}

/** The JSON Patch between two states of one entry, read at the newest revision. */
export async function diffEntry(
  stores: Stores,
  name: string,
  from: HistoryPoint,
  to?: HistoryPoint,
): Promise<AtRevision<EntryDiff>> {
  const view = await LedgerView.atNewest(stores);
  const current = await view.stateOf(name);
  if (current.version === 0) throw new EntryNotFoundError(name, `'${name}' has never been set.`);
  const [before, after] = await Promise.all([
    stateAtPoint(stores, view, name, from),
    to ? stateAtPoint(stores, view, name, to) : current,
  ]);
  return {
    revision: view.revision,
    result: {
      name,
      from: sideOf(before),
      to: sideOf(after),
      patch: diffJson(parsedValue(before), parsedValue(after)),
    },
  };
}

async function stateAtPoint(
  stores: Stores,
  view: LedgerView,
  name: string,
  point: HistoryPoint,
): Promise<EntryState> {
  if ('instant' in point) {
    const revision: Revision = await stores.log.revisionAt(
      point.instant,
      await stores.log.newest(),
    );
    return view.stateOf(name, Math.min(revision, view.revision));
  }
  if (point.version === 0) return fold(name, []);
  const event = await view.eventWithVersion(name, point.version);
  if (!event) throw new EntryNotFoundError(name, `'${name}' has no version ${point.version}.`);
  return stateAfter(event);
}

function sideOf(state: EntryState): DiffSide {
  return { version: state.version, exists: state.current !== undefined };
}

function parsedValue(state: EntryState) {
  return state.current ? parseJson(state.current.value) : undefined;
}
