import { type EntryState, fold } from '#domain/entry.ts';
import type { Instant } from '#domain/instant.ts';
import type { EventStore } from '#store/event-store.ts';

/**
 * An entry's state from the events table. Every event carries the whole state, so one event
 * (the newest one that counts) is the fold of the history up to it.
 */
export async function currentState(events: EventStore, name: string): Promise<EntryState> {
  const head = await events.readHead(name);
  return fold(name, head ? [head] : []);
}

/** The state right after the latest event at or before an instant: one indexed query. */
export async function stateAt(
  events: EventStore,
  name: string,
  instant: Instant,
): Promise<EntryState> {
  const event = await events.readAt(name, instant);
  return fold(name, event ? [event] : []);
}
