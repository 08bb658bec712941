import type { ConfigEvent, ConfigValueSet, Revision } from './events.ts';
import type { Instant } from './instant.ts';
import type { JsonText } from './json.ts';

/** What the history of one name adds up to. */
export interface EntryState {
  readonly name: string;
  /** Version of the latest event; 0 when the name has no history. */
  readonly version: number;
  /** Revision of the latest event; 0 when the name has no history. */
  readonly revision: Revision;
  /** Hash of the latest event, which the next one chains to; absent when it has none. */
  readonly hash?: string;
  readonly current?: LiveEntry;
}

/** An entry as readers see it: only while it exists (set and not deleted since). */
export interface LiveEntry {
  readonly name: string;
  readonly value: JsonText;
  readonly version: number;
  /** The revision of the change that set this value. */
  readonly revision: Revision;
  readonly updatedAt: Instant;
  readonly updatedBy: string;
  /** Hash of the event that set this value, when it has one: what an auditor pins. */
  readonly hash?: string;
}

export function initialState(name: string): EntryState {
  return { name, version: 0, revision: 0 };
}

export function liveEntryOf(event: ConfigValueSet): LiveEntry {
  return {
    name: event.name,
    value: event.value,
    version: event.version,
    revision: event.revision,
    updatedAt: event.occurredAt,
    updatedBy: event.actor,
    ...(event.hash === undefined ? {} : { hash: event.hash }),
  };
}

/** The state right after an event: every event carries its entry's whole state. */
export function stateAfter(event: ConfigEvent): EntryState {
  const base = {
    name: event.name,
    version: event.version,
    revision: event.revision,
    ...(event.hash === undefined ? {} : { hash: event.hash }),
  };
  switch (event.type) {
    case 'ConfigValueSet':
      return { ...base, current: liveEntryOf(event) };
    case 'ConfigValueDeleted':
      return base;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/**
 * Since every event carries the whole state, folding a history is taking its newest event:
 * whatever part of a name's history it is given, in any order, with repeats.
 */
export function fold(name: string, events: readonly ConfigEvent[]): EntryState {
  let newest: ConfigEvent | undefined;
  for (const event of events) {
    if (event.name === name && (!newest || event.version > newest.version)) newest = event;
  }
  return newest ? stateAfter(newest) : initialState(name);
}

/** The newer of two states of one name. */
export function newerState(a: EntryState, b: EntryState): EntryState {
  return b.version > a.version ? b : a;
}
