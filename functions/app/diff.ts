import { type EntryState, fold } from '#domain/entry.ts';
import { EntryNotFoundError } from '#domain/errors.ts';
import type { Instant } from '#domain/instant.ts';
import { parseJson } from '#domain/json.ts';
import { diffJson, type PatchOperation } from '#domain/json-patch.ts';
import type { EventStore } from '#store/event-store.ts';
import { currentState, stateAt } from './states.ts';

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

/** The JSON Patch between two states of one entry. */
export async function diffEntry(
  events: EventStore,
  name: string,
  from: HistoryPoint,
  to?: HistoryPoint,
): Promise<EntryDiff> {
  const current = await currentState(events, name);
  if (current.version === 0) throw new EntryNotFoundError(name, `'${name}' has never been set.`);
  const [before, after] = await Promise.all([
    stateAtPoint(events, name, from),
    to ? stateAtPoint(events, name, to) : current,
  ]);
  return {
    name,
    from: sideOf(before),
    to: sideOf(after),
    patch: diffJson(parsedValue(before), parsedValue(after)),
  };
}

async function stateAtPoint(
  events: EventStore,
  name: string,
  point: HistoryPoint,
): Promise<EntryState> {
  if ('instant' in point) return stateAt(events, name, point.instant);
  if (point.version === 0) return fold(name, []);
  const event = await events.readVersion(name, point.version);
  if (!event) throw new EntryNotFoundError(name, `'${name}' has no version ${point.version}.`);
  return fold(name, [event]);
}

function sideOf(state: EntryState): DiffSide {
  return { version: state.version, exists: state.current !== undefined };
}

function parsedValue(state: EntryState) {
  return state.current ? parseJson(state.current.value) : undefined;
}
