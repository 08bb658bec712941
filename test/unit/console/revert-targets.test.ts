import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '#console/api-types.ts';
import { revertTargets } from '#console/revert-targets.ts';

const at = '2026-11-27T10:00:00.000Z';
const set = (version: number, value: unknown, restoredVersion?: number): HistoryEvent => ({
  version,
  revision: version,
  type: 'ConfigValueSet',
  value,
  occurredAt: at,
  actor: 'alice',
  ...(restoredVersion === undefined ? {} : { restoredVersion }),
});
const deleted = (version: number): HistoryEvent => ({
  version,
  revision: version,
  type: 'ConfigValueDeleted',
  occurredAt: at,
  actor: 'alice',
});

describe('Function: revertTargets', () => {
  it('offers every earlier version that set a value, not the current one', () => {
    expect(revertTargets([set(1, 'a'), set(2, 'b'), set(3, 'c')])).toEqual(new Set([1, 2]));
  });

  it('offers a deleted entry its versions that set a value, never its own deletion', () => {
    expect(revertTargets([set(1, 'a'), set(2, 'b'), deleted(3)])).toEqual(new Set([1, 2]));
  });

  it('never offers an earlier deletion: Delete does that', () => {
    expect(revertTargets([set(1, 'a'), deleted(2), set(3, 'b')])).toEqual(new Set([1]));
  });

  it('skips versions whose value the entry holds now, as after a revert to them', () => {
    // Prepare: version 3 restored version 1's value
    const events = [set(1, { max: 10 }), set(2, { max: 50 }), set(3, { max: 10 }, 1)];

    // Act, Assess
    expect(revertTargets(events)).toEqual(new Set([2]));
  });

  it('reads the history in any order', () => {
    expect(revertTargets([set(3, 'c'), set(1, 'a'), set(2, 'b')])).toEqual(new Set([1, 2]));
  });

  it('offers nothing for an entry without history', () => {
    expect(revertTargets([])).toEqual(new Set());
  });
});
