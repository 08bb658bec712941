import { type ConfigCommand, type DeleteValue, decide, type SetValue } from '#domain/decide.ts';
import { type EntryState, type LiveEntry, liveEntryOf } from '#domain/entry.ts';
import { WriteContentionError } from '#domain/errors.ts';
import type { ConfigEvent } from '#domain/events.ts';
import type { EventStore } from '#store/event-store.ts';
import { currentState } from './states.ts';

export interface SetResult {
  readonly entry: LiveEntry;
  /** True when the write brought the entry into existence (absent or deleted before). */
  readonly created: boolean;
}

export interface CommandOptions {
  readonly now?: () => number;
  readonly maxAttempts?: number;
  /** Epoch seconds after which the event may expire (TTL); only for system entries. */
  readonly expiresAt?: number;
}

export async function setValue(
  events: EventStore,
  command: Omit<SetValue, 'kind'>,
  options: CommandOptions = {},
): Promise<SetResult> {
  const { event, before } = await appendDecided(events, { ...command, kind: 'set' }, options);
  if (event.type !== 'ConfigValueSet') throw new TypeError('A set decided something else.');
  return { entry: liveEntryOf(event), created: before.current === undefined };
}

export async function deleteValue(
  events: EventStore,
  command: Omit<DeleteValue, 'kind'>,
  options: CommandOptions = {},
): Promise<ConfigEvent> {
  const { event } = await appendDecided(events, { ...command, kind: 'delete' }, options);
  return event;
}

/** Enough for dozens of writers on one name, well inside an API Gateway timeout. */
const defaultMaxAttempts = 60;

/**
 * Decides on the current head and appends; when another writer took the version first, decides
 * again on the new head. A command with an expected version then fails with a conflict (it
 * asked to detect exactly that race); a blind one simply applies on top, so no update is lost.
 */
async function appendDecided(
  events: EventStore,
  command: ConfigCommand,
  options: CommandOptions,
): Promise<{ event: ConfigEvent; before: EntryState }> {
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const state = await currentState(events, command.name);
    const event = decide(command, state, now());
    if (await events.append(event, { expiresAt: options.expiresAt })) {
      return { event, before: state };
    }
    await pause(backoffMs(attempt));
  }
  throw new WriteContentionError(command.name, maxAttempts);
}

/** Full jitter: spreads racing writers apart so that each round lets at least one through. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(50, 2 ** attempt);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
