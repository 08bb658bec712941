import { describe, expect, it } from 'vitest';
import { genesisHash } from '#domain/chain.ts';
import { type ChangesetOperation, decideChangeset } from '#domain/changeset.ts';
import { type EntryState, fold } from '#domain/entry.ts';
import { ChangesetConflictError, ValidationError, ValueTooLargeError } from '#domain/errors.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';

const t0 = Date.parse('2026-02-12T10:00:00.000Z');

const set = (name: string, version: number, value: unknown): ConfigEvent => ({
  type: 'ConfigValueSet',
  name,
  version,
  revision: version,
  occurredAt: new Date(t0 + version).toISOString(),
  actor: 'bob',
  value: toJsonText(value as never),
});
const deleted = (name: string, version: number): ConfigEvent => ({
  type: 'ConfigValueDeleted',
  name,
  version,
  revision: version,
  occurredAt: new Date(t0 + version).toISOString(),
  actor: 'bob',
});

/** given(history).when(operations) → the events decided, or the error thrown. */
function given(...history: ConfigEvent[]) {
  const names = new Set(history.map((event) => event.name));
  const states = new Map<string, EntryState>([...names].map((name) => [name, fold(name, history)]));
  const versionOf = (name: string, version: number) =>
    history.find((event) => event.name === name && event.version === version);
  return {
    when: (operations: ChangesetOperation[], comment?: string) => {
      const targets = new Map(
        operations.flatMap((operation) =>
          operation.op === 'revert'
            ? [[operation.name, versionOf(operation.name, operation.toVersion)] as const]
            : [],
        ),
      );
      return () => decideChangeset(operations, states, { targets, comment });
    },
  };
}

function conflictOf(decision: () => unknown): ChangesetConflictError {
  try {
    decision();
  } catch (error) {
    if (error instanceof ChangesetConflictError) return error;
    throw error;
  }
  throw new Error('Expected the changeset to be refused.');
}

const value = (json: unknown) => toJsonText(json as never);
/** The fixtures' events have no hashes (as if written before the chain): each starts one. */
const unchained = { previousHash: genesisHash };

describe('Function: decideChangeset', () => {
  it('decides one event per operation, in order, each on its own name', () => {
    const events = given(set('a', 1, 1), set('b', 1, 1), set('b', 2, 2)).when([
      { op: 'set', name: 'a', value: value(10) },
      { op: 'delete', name: 'b', expectedVersion: 2 },
      { op: 'set', name: 'c', value: value('new'), expectedVersion: 0 },
    ])();
    expect(events).toEqual([
      { type: 'ConfigValueSet', name: 'a', version: 2, value: '10', ...unchained },
      { type: 'ConfigValueDeleted', name: 'b', version: 3, ...unchained },
      { type: 'ConfigValueSet', name: 'c', version: 1, value: '"new"', ...unchained },
    ]);
  });

  it('restores the value of the version a revert names, and records which', () => {
    const events = given(set('a', 1, 'first'), set('a', 2, 'second')).when([
      { op: 'revert', name: 'a', toVersion: 1, expectedVersion: 2 },
    ])();
    expect(events).toEqual([
      {
        type: 'ConfigValueSet',
        name: 'a',
        version: 3,
        value: '"first"',
        restoredVersion: 1,
        ...unchained,
      },
    ]);
  });

  it('reverts to a deletion as a delete', () => {
    const events = given(set('a', 1, 1), deleted('a', 2), set('a', 3, 3)).when([
      { op: 'revert', name: 'a', toVersion: 2 },
    ])();
    expect(events).toEqual([
      { type: 'ConfigValueDeleted', name: 'a', version: 4, restoredVersion: 2, ...unchained },
    ]);
  });

  it("gives the changeset's comment to every operation without one of its own", () => {
    const events = given().when(
      [
        { op: 'set', name: 'a', value: value(1) },
        { op: 'set', name: 'b', value: value(2), comment: 'own' },
      ],
      'release 42',
    )();
    expect(events.map((event) => event.comment)).toEqual(['release 42', 'own']);
  });

  it('refuses the whole changeset when one expected version does not hold', () => {
    const decision = given(set('a', 1, 1), set('b', 1, 1)).when([
      { op: 'set', name: 'a', value: value(2), expectedVersion: 1 },
      { op: 'set', name: 'b', value: value(2), expectedVersion: 0 },
    ]);
    expect(conflictOf(decision).failures).toEqual([
      {
        index: 1,
        name: 'b',
        error: 'version_conflict',
        message: "'b' is at version 1, not the expected version 0.",
        currentVersion: 1,
      },
    ]);
  });

  it('lists every failing operation at once: conflicts, absent entries, missing versions', () => {
    const decision = given(set('a', 1, 1), set('a', 2, 2)).when([
      { op: 'set', name: 'a', value: value(3), expectedVersion: 1 },
      { op: 'delete', name: 'gone' },
      { op: 'revert', name: 'new', toVersion: 3 },
      { op: 'set', name: 'fine', value: value(1) },
    ]);
    const failures = conflictOf(decision).failures;
    expect(failures.map(({ index, name, error }) => ({ index, name, error }))).toEqual([
      { index: 0, name: 'a', error: 'version_conflict' },
      { index: 1, name: 'gone', error: 'not_found' },
      { index: 2, name: 'new', error: 'not_found' },
    ]);
    expect(failures[2]?.message).toBe("'new' has no version 3 to revert to.");
  });

  it('refuses two operations on one name: both would claim its next version', () => {
    const decision = given().when([
      { op: 'set', name: 'a', value: value(1) },
      { op: 'delete', name: 'a' },
    ]);
    expect(decision).toThrow(ValidationError);
    expect(decision).toThrow('these appear more than once: a.');
  });

  it('refuses a value over the limit as the request it is, not as a conflict', () => {
    const decision = given().when([
      { op: 'set', name: 'a', value: value('x'.repeat(limits.valueMaxBytes)) },
    ]);
    expect(decision).toThrow(ValueTooLargeError);
  });
});
