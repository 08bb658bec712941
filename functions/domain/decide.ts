import { genesisHash } from './chain.ts';
import type { EntryState } from './entry.ts';
import { EntryNotFoundError, ValueTooLargeError, VersionConflictError } from './errors.ts';
import type { ConfigEvent, DecidedEvent } from './events.ts';
import { type JsonText, utf8Length } from './json.ts';
import { limits } from './limits.ts';

interface CommandBase {
  readonly name: string;
  /**
   * The version the caller last saw; 0 means "only if it does not exist". Absent: apply on
   * whatever the current version is.
   */
  readonly expectedVersion?: number;
  readonly comment?: string;
  /** The earlier version whose state this command restores (a revert). */
  readonly restoredVersion?: number;
}

export interface SetValue extends CommandBase {
  readonly kind: 'set';
  readonly value: JsonText;
}

export interface DeleteValue extends CommandBase {
  readonly kind: 'delete';
}

export type ConfigCommand = SetValue | DeleteValue;

/**
 * The command that restores the state an earlier event left (a revert): a set of its value, or a
 * delete if it was a deletion, recording which version it restores.
 */
export function restoring(
  base: Omit<CommandBase, 'restoredVersion'>,
  target: ConfigEvent,
): ConfigCommand {
  const command = { ...base, restoredVersion: target.version };
  return target.type === 'ConfigValueSet'
    ? { ...command, kind: 'set', value: target.value }
    : { ...command, kind: 'delete' };
}

/**
 * The one event that carries out a command on the current state, or the domain error why not.
 * Its place in the order (revision, instant) and its actor are the commit's.
 */
export function decide(command: ConfigCommand, state: EntryState): DecidedEvent {
  assertExpectedVersion(command, state);
  const base = {
    name: command.name,
    version: state.version + 1,
    // A name whose latest event predates the chain starts one here.
    previousHash: state.hash ?? genesisHash,
    ...(command.comment === undefined ? {} : { comment: command.comment }),
    ...(command.restoredVersion === undefined ? {} : { restoredVersion: command.restoredVersion }),
  };
  switch (command.kind) {
    case 'set':
      assertValueFits(command.value);
      return { ...base, type: 'ConfigValueSet', value: command.value };
    case 'delete':
      if (!state.current) throw new EntryNotFoundError(command.name);
      return { ...base, type: 'ConfigValueDeleted' };
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

function assertExpectedVersion(command: ConfigCommand, state: EntryState): void {
  const expected = command.expectedVersion;
  if (expected === undefined) return;
  const satisfied = expected === 0 ? !state.current : expected === state.version;
  if (!satisfied) throw new VersionConflictError(command.name, expected, state.version);
}

export function assertValueFits(value: JsonText): void {
  const size = utf8Length(value);
  if (size > limits.valueMaxBytes) {
    throw new ValueTooLargeError(
      `The value is ${size} bytes as JSON; the limit is ${limits.valueMaxBytes} bytes.`,
      { details: { sizeBytes: size, limitBytes: limits.valueMaxBytes } },
    );
  }
}
