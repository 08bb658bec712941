import { EntryNotFoundError } from '#domain/errors.ts';
import type { ConfigEvent } from '#domain/events.ts';
import type { EventStore } from '#store/event-store.ts';
import { deleteValue, type SetResult, setValue } from './commands.ts';

export interface RevertCommand {
  readonly name: string;
  readonly toVersion: number;
  readonly expectedVersion?: number;
  readonly actor: string;
  readonly comment?: string;
}

export type RevertResult =
  | ({ readonly kind: 'set' } & SetResult)
  | { readonly kind: 'deleted'; readonly event: ConfigEvent };

/**
 * Restores the state an earlier version left, as a new event: a set of that version's value,
 * or a delete if that version was a deletion. History stays append-only; the new event records
 * which version it restored.
 */
export async function revertTo(events: EventStore, command: RevertCommand): Promise<RevertResult> {
  const { toVersion, ...rest } = command;
  const target = await events.readVersion(command.name, toVersion);
  if (!target) {
    throw new EntryNotFoundError(
      command.name,
      `'${command.name}' has no version ${toVersion} to revert to.`,
    );
  }
  const base = { ...rest, restoredVersion: toVersion };
  if (target.type === 'ConfigValueSet') {
    return { kind: 'set', ...(await setValue(events, { ...base, value: target.value })) };
  }
  return { kind: 'deleted', event: await deleteValue(events, base) };
}
