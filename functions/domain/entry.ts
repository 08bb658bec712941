import type { ConfigEvent, ConfigValueSet } from './events.ts';
import type { Instant } from './instant.ts';
import type { JsonText } from './json.ts';

/** What the history of one name adds up to. */
export interface EntryState {
  readonly name: string;
  /** Version of the latest event; 0 when the name has no history. */
  readonly version: number;
  readonly lastEventAt?: Instant;
  readonly current?: LiveEntry;
}

/** An entry as readers see it: only while it exists (set and not deleted since). */
export interface LiveEntry {
  readonly name: string;
  readonly value: JsonText;
  readonly version: number;
  readonly updatedAt: Instant;
  readonly updatedBy: string;
}

export function initialState(name: string): EntryState {
  return { name, version: 0 };
}

export function liveEntryOf(event: ConfigValueSet): LiveEntry {
  return {
    name: event.name,
    value: event.value,
    version: event.version,
    updatedAt: event.occurredAt,
    updatedBy: event.actor,
  };
}

export function evolve(state: EntryState, event: ConfigEvent): EntryState {
  switch (event.type) {
    case 'ConfigValueSet':
      return {
        name: state.name,
        version: event.version,
        lastEventAt: event.occurredAt,
        current: liveEntryOf(event),
      };
    case 'ConfigValueDeleted':
      return { name: state.name, version: event.version, lastEventAt: event.occurredAt };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/**
 * Every event carries the entry's whole state, so folding a history needs only its tail; this
 * folds whatever part of the history it is given, oldest first.
 */
export function fold(name: string, events: readonly ConfigEvent[]): EntryState {
  return events.reduce(evolve, initialState(name));
}
