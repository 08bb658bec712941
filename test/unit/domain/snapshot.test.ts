import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inBatches } from '#domain/batches.ts';
import type { LiveEntry } from '#domain/entry.ts';
import type { Commit, ConfigEvent } from '#domain/events.ts';
import { toJsonText } from '#domain/json.ts';
import {
  emptySnapshot,
  entriesUnder,
  partMayHold,
  snapshotAfter,
  snapshotDue,
  snapshotPolicy,
  snapshotWorthReading,
} from '#domain/snapshot.ts';

const at = '2026-11-28T10:00:00.000Z';

function commit(revision: number, events: Array<Partial<ConfigEvent> & { name: string }>): Commit {
  return {
    revision,
    occurredAt: at,
    actor: 'alice',
    commitId: `c${revision}`,
    events: events.map(
      (event) =>
        ({
          type: 'ConfigValueSet',
          value: toJsonText(revision),
          version: 1,
          revision,
          occurredAt: at,
          actor: 'alice',
          ...event,
        }) as ConfigEvent,
    ),
  };
}

const entry = (name: string, bytes = 10): LiveEntry => ({
  name,
  value: toJsonText('x'.repeat(bytes)),
  version: 1,
  revision: 1,
  updatedAt: at,
  updatedBy: 'alice',
});

describe('A snapshot after commits', () => {
  it('holds each name as its newest event left it, in name order, without deleted names', () => {
    const snapshot = snapshotAfter(emptySnapshot, [
      commit(1, [{ name: 'b' }, { name: 'a' }]),
      commit(2, [{ name: 'b', type: 'ConfigValueDeleted', version: 2 }]),
      commit(3, [{ name: 'c', version: 1 }]),
    ]);
    expect(snapshot.revision).toBe(3);
    expect(snapshot.entries.map((live) => [live.name, live.revision])).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
  });

  it('leaves schemas out: they are not entries of the configuration', () => {
    const snapshot = snapshotAfter(emptySnapshot, [
      commit(1, [{ name: '~schema/payments.' }, { name: 'payments.limit' }]),
    ]);
    expect(snapshot.entries.map((live) => live.name)).toEqual(['payments.limit']);
  });

  it('refuses a commit that does not follow it: a gap would silently lose changes', () => {
    expect(() => snapshotAfter(emptySnapshot, [commit(2, [{ name: 'a' }])])).toThrow(RangeError);
  });

  it('is the same whether taken in one step or from an earlier snapshot', () => {
    const commits = [1, 2, 3, 4].map((revision) =>
      commit(revision, [{ name: `n${revision % 3}`, version: revision }]),
    );
    const inOneStep = snapshotAfter(emptySnapshot, commits);
    const inTwo = snapshotAfter(
      snapshotAfter(emptySnapshot, commits.slice(0, 2)),
      commits.slice(2),
    );
    expect(inTwo).toEqual(inOneStep);
  });
});

describe('Batches within limits', () => {
  it('closes a batch at its item count as well as at its bytes, keeping the order', () => {
    const batches = inBatches([1, 1, 1, 5, 1], { maxBytes: 4, maxItems: 2 }, (size) => size);
    expect(batches).toEqual([[1, 1], [1], [5], [1]]);
  });
});

describe('Parts of a snapshot', () => {
  it('keeps each part within the bytes, in order, and puts an oversized entry alone', () => {
    const entries = [entry('a', 40), entry('b', 40), entry('c', 500), entry('d', 40)];
    const parts = inBatches(entries, { maxBytes: 100 }, (live) => live.value.length);
    expect(parts.map((part) => part.map((live) => live.name))).toEqual([['a', 'b'], ['c'], ['d']]);
  });

  it('finds every part that holds a name under a prefix, whatever the names', () => {
    const name = fc.stringMatching(/^[a-c.]{1,4}$/);
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 20 }), name, (names, prefix) => {
        const sorted = [...names].sort();
        const parts = inBatches(
          sorted.map((n) => entry(n)),
          { maxBytes: 2 },
          () => 1,
        );
        parts.forEach((part, index) => {
          const holds = part.some((live) => live.name.startsWith(prefix));
          const first = part[0]?.name ?? '';
          const next = parts[index + 1]?.[0]?.name;
          // Never a part missed; a part read for nothing costs, but is never wrong.
          if (holds) expect(partMayHold(prefix, first, next)).toBe(true);
        });
      }),
    );
  });

  it('does not read parts wholly before or after the prefix', () => {
    expect(partMayHold('b.', 'a', 'b')).toBe(false);
    expect(partMayHold('b.', 'c', undefined)).toBe(false);
    expect(partMayHold('b.', 'a', 'b.x')).toBe(true);
    expect(partMayHold('b.', 'b.y', 'c')).toBe(true);
  });

  it('filters entries by any of several prefixes', () => {
    const entries = ['a.1', 'b.1', 'c.1'].map((n) => entry(n));
    expect(entriesUnder(entries, ['a.', 'c.']).map((live) => live.name)).toEqual(['a.1', 'c.1']);
  });
});

describe('When a snapshot is due, and when one is worth reading', () => {
  it('is due once the commits since outnumber its entries, and never before the minimum', () => {
    expect(snapshotDue(5000, 4999)).toBe(false);
    expect(snapshotDue(5000, 5000)).toBe(true);
    expect(snapshotDue(0, snapshotPolicy.minCommits - 1)).toBe(false);
    expect(snapshotDue(0, snapshotPolicy.minCommits)).toBe(true);
  });

  it('is read only while the log after it stays within a few intervals', () => {
    const span = snapshotPolicy.readableSpan;
    expect(snapshotWorthReading(1000, span * 1000)).toBe(true);
    expect(snapshotWorthReading(1000, span * 1000 + 1)).toBe(false);
  });
});
