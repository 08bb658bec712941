import { decide, restoring } from '#domain/decide.ts';
import { EntryNotFoundError } from '#domain/errors.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { type CommandOptions, commitOne, type SetResult, setResultOf } from './commands.ts';
import { LedgerView } from './ledger-view.ts';
import type { Stores } from './stores.ts';

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
 * which version it restored. A version, once written, never changes, so it is looked up once.
 */
export async function revertTo(
  stores: Stores,
  command: RevertCommand,
  options: CommandOptions = {},
): Promise<RevertResult> {
  const { toVersion, ...rest } = command;
  const target = await (await LedgerView.atNewest(stores)).eventWithVersion(rest.name, toVersion);
  if (!target) {
    throw new EntryNotFoundError(
      rest.name,
      `'${rest.name}' has no version ${toVersion} to revert to.`,
    );
  }
  const { event, before } = await commitOne(
    stores,
    { ...rest, decide: (state) => decide(restoring(rest, target), state) },
    options,
  );
  if (event.type === 'ConfigValueDeleted') return { kind: 'deleted', event };
  return { kind: 'set', ...setResultOf(event, before) };
}
