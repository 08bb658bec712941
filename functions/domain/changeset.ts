import { type ConfigCommand, decide, restoring } from './decide.ts';
import { type EntryState, initialState } from './entry.ts';
import {
  ChangesetConflictError,
  EntryNotFoundError,
  type OperationFailure,
  ValidationError,
  VersionConflictError,
} from './errors.ts';
import type { ConfigEvent, DecidedEvent } from './events.ts';
import type { JsonText } from './json.ts';

interface OperationBase {
  readonly name: string;
  /** As for a single write: the version the caller last saw, 0 for "must not exist". */
  readonly expectedVersion?: number;
  readonly comment?: string;
}

export type ChangesetOperation =
  | (OperationBase & { readonly op: 'set'; readonly value: JsonText })
  | (OperationBase & { readonly op: 'delete' })
  | (OperationBase & { readonly op: 'revert'; readonly toVersion: number });

/**
 * What each revert restores: the event that gave its name the version asked for, by name
 * (undefined: that version does not exist). Versions never change once written, so these are
 * looked up once, before deciding.
 */
export type RevertTargets = ReadonlyMap<string, ConfigEvent | undefined>;

/**
 * One change per name: two operations on one name in one commit would both claim its next
 * version. Checked before anything is read.
 */
export function assertOneOperationPerName(operations: readonly ChangesetOperation[]): void {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { name } of operations) {
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
  }
  if (repeated.size > 0) {
    const names = [...repeated];
    throw new ValidationError(
      `A changeset changes each name at most once; these appear more than once: ${names.join(', ')}.`,
      { details: { names } },
    );
  }
}

/**
 * The events of a changeset on the states of its names, all decided on the same revision: every
 * operation holds, or none is applied and each one that does not is listed. A comment on the
 * changeset goes to every operation that has none of its own.
 */
export function decideChangeset(
  operations: readonly ChangesetOperation[],
  states: ReadonlyMap<string, EntryState>,
  context: { targets: RevertTargets; comment?: string },
): DecidedEvent[] {
  assertOneOperationPerName(operations);
  const events: DecidedEvent[] = [];
  const failures: OperationFailure[] = [];
  operations.forEach((operation, index) => {
    const state = states.get(operation.name) ?? initialState(operation.name);
    const decided = decideOperation(operation, state, context);
    if ('failure' in decided) failures.push({ index, ...decided.failure });
    else events.push(decided.event);
  });
  if (failures.length > 0) throw new ChangesetConflictError(failures);
  return events;
}

type Decided = { event: DecidedEvent } | { failure: Omit<OperationFailure, 'index'> };

/** One operation's event, or why it does not hold; any other error is the whole request's. */
function decideOperation(
  operation: ChangesetOperation,
  state: EntryState,
  context: { targets: RevertTargets; comment?: string },
): Decided {
  try {
    return { event: decide(commandOf(operation, context), state) };
  } catch (error) {
    if (error instanceof VersionConflictError || error instanceof EntryNotFoundError) {
      const { name } = operation;
      return {
        failure: { name, error: error.code, message: error.message, currentVersion: state.version },
      };
    }
    throw error;
  }
}

/** A changeset's operation as the command a single write would make; a revert as its target's. */
function commandOf(
  operation: ChangesetOperation,
  context: { targets: RevertTargets; comment?: string },
): ConfigCommand {
  const { name, expectedVersion } = operation;
  const comment = operation.comment ?? context.comment;
  const base = {
    name,
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
    ...(comment === undefined ? {} : { comment }),
  };
  switch (operation.op) {
    case 'set':
      return { ...base, kind: 'set', value: operation.value };
    case 'delete':
      return { ...base, kind: 'delete' };
    case 'revert':
      return revertCommand(base, operation.toVersion, context.targets.get(name));
    default: {
      const unhandled: never = operation;
      return unhandled;
    }
  }
}

function revertCommand(
  base: { name: string; expectedVersion?: number; comment?: string },
  toVersion: number,
  target: ConfigEvent | undefined,
): ConfigCommand {
  if (target?.version !== toVersion) {
    throw new EntryNotFoundError(
      base.name,
      `'${base.name}' has no version ${toVersion} to revert to.`,
    );
  }
  return restoring(base, target);
}
