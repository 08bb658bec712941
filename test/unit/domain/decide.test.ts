import { describe, expect, it } from 'vitest';
import { genesisHash } from '#domain/chain.ts';
import { type ConfigCommand, decide } from '#domain/decide.ts';
import { fold } from '#domain/entry.ts';
import { EntryNotFoundError, ValueTooLargeError, VersionConflictError } from '#domain/errors.ts';
import type { ConfigEvent } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';

const name = 'payments.checkout.timeout_ms';
const t0 = Date.parse('2026-02-12T10:00:00.000Z');

/** given(history).when(command) → the event decided, or the error thrown. */
function given(...history: ConfigEvent[]) {
  return {
    when: (command: Partial<ConfigCommand> & Pick<ConfigCommand, 'kind'>) =>
      decide({ name, ...command } as ConfigCommand, fold(name, history)),
  };
}

/** Events of this name at revisions 10, 20, 30…: other names' changes lie between. */
const at = (version: number) => ({
  name,
  version,
  revision: version * 10,
  occurredAt: new Date(t0 + version).toISOString(),
  actor: 'bob',
});
const set = (version: number, value: unknown): ConfigEvent => ({
  ...at(version),
  type: 'ConfigValueSet',
  value: toJsonText(value as never),
});
const deleted = (version: number): ConfigEvent => ({ ...at(version), type: 'ConfigValueDeleted' });

describe('Function: decide', () => {
  describe('Command: set', () => {
    it('starts a new name at version 1', () => {
      const event = given().when({ kind: 'set', value: toJsonText(250) });
      // Its revision, instant and actor are the commit's, given when it is sequenced.
      expect(event).toEqual({
        type: 'ConfigValueSet',
        name,
        version: 1,
        value: '250',
        // The first event of a name chains to the genesis value.
        previousHash: genesisHash,
      });
    });

    it('appends the next version after the current one, keeping the comment', () => {
      const event = given(set(1, 100), set(2, 200)).when({
        kind: 'set',
        value: toJsonText(300),
        comment: 'raise for Black Friday',
      });
      expect(event).toMatchObject({ version: 3, value: '300', comment: 'raise for Black Friday' });
    });

    it('continues the version sequence after a delete', () => {
      expect(
        given(set(1, 1), deleted(2)).when({ kind: 'set', value: toJsonText(2) }),
      ).toMatchObject({
        version: 3,
      });
    });

    it('applies when the expected version is the current one', () => {
      const event = given(set(1, 1), set(2, 2)).when({
        kind: 'set',
        value: toJsonText(3),
        expectedVersion: 2,
      });
      expect(event.version).toBe(3);
    });

    it('throws a version conflict naming the current version when the expectation is stale', () => {
      const decision = () =>
        given(set(1, 1), set(2, 2)).when({ kind: 'set', value: toJsonText(3), expectedVersion: 1 });
      expect(decision).toThrow(VersionConflictError);
      expect(decision).toThrow(expect.objectContaining({ currentVersion: 2, expectedVersion: 1 }));
    });

    it('treats expected version 0 as create-only: fine when absent or deleted, a conflict when live', () => {
      expect(given().when({ kind: 'set', value: toJsonText(1), expectedVersion: 0 }).version).toBe(
        1,
      );
      expect(
        given(set(1, 1), deleted(2)).when({ kind: 'set', value: toJsonText(1), expectedVersion: 0 })
          .version,
      ).toBe(3);
      expect(() =>
        given(set(1, 1)).when({ kind: 'set', value: toJsonText(1), expectedVersion: 0 }),
      ).toThrow(VersionConflictError);
    });

    it('refuses a value over the size limit', () => {
      const huge = toJsonText('x'.repeat(limits.valueMaxBytes));
      expect(() => given().when({ kind: 'set', value: huge })).toThrow(ValueTooLargeError);
    });

    it('accepts a value of exactly the size limit', () => {
      const exact = toJsonText('x'.repeat(limits.valueMaxBytes - 2));
      expect(given().when({ kind: 'set', value: exact }).version).toBe(1);
    });
  });

  describe('Command: delete', () => {
    it('deletes a live entry with the next version', () => {
      expect(given(set(1, 1)).when({ kind: 'delete' })).toMatchObject({
        type: 'ConfigValueDeleted',
        version: 2,
      });
    });

    it('throws not found for a name that never existed or is already deleted', () => {
      expect(() => given().when({ kind: 'delete' })).toThrow(EntryNotFoundError);
      expect(() => given(set(1, 1), deleted(2)).when({ kind: 'delete' })).toThrow(
        EntryNotFoundError,
      );
    });

    it('checks the expected version before anything else', () => {
      expect(() =>
        given(set(1, 1), set(2, 2)).when({ kind: 'delete', expectedVersion: 1 }),
      ).toThrow(VersionConflictError);
    });
  });
});

describe('Function: fold', () => {
  it('has no entry, version 0 and revision 0 for an empty history', () => {
    expect(fold(name, [])).toEqual({ name, version: 0, revision: 0 });
  });

  it('takes the newest event whatever the order and repeats it is given', () => {
    const state = fold(name, [set(2, 'b'), set(1, 'a'), set(2, 'b'), set(3, 'c'), set(1, 'a')]);
    expect(state).toMatchObject({ version: 3, revision: 30, current: { value: '"c"' } });
  });

  it('ends at the last event: a set shows its value, a delete hides the entry', () => {
    expect(fold(name, [set(1, 'a'), set(2, 'b')]).current).toMatchObject({
      value: '"b"',
      version: 2,
    });
    const afterDelete = fold(name, [set(1, 'a'), deleted(2)]);
    expect(afterDelete.current).toBeUndefined();
    expect(afterDelete.version).toBe(2);
  });
});
