import { describe, expect, it } from 'vitest';
import {
  describeMark,
  describeUnread,
  type FeedChange,
  markAfter,
  markBefore,
  marksBetween,
} from '#console/change-marks.ts';

const change = (at: number, name: string, version = 1, deleted = false): FeedChange => ({
  at,
  name,
  version,
  deleted,
});

// The feed's order: by instant, then name.
const feed = [
  change(100, 'app.a'),
  change(200, 'app.a', 2),
  change(200, 'app.b'),
  change(250, 'other.x'),
  change(300, 'app.b', 2, true),
  change(400, 'app.c'),
];

describe('Function: marksBetween', () => {
  it('groups the changes under a prefix by instant, inside the window only', () => {
    // Act
    const marks = marksBetween(feed, 'app.', 150, 300);

    // Assess
    expect(marks.map((mark) => mark.at)).toEqual([200, 300]);
    expect(marks[0]?.changes.map((c) => c.name)).toEqual(['app.a', 'app.b']);
  });

  it('takes every name without a prefix', () => {
    expect(marksBetween(feed, '', 0, 1000)).toHaveLength(5);
  });
});

describe('Functions: markBefore and markAfter', () => {
  const marks = marksBetween(feed, 'app.', 0, 1000);

  it('find the adjacent change, never the one at the instant itself', () => {
    expect(markBefore(marks, 200)?.at).toBe(100);
    expect(markAfter(marks, 200)?.at).toBe(300);
    expect(markAfter(marks, 199)?.at).toBe(200);
  });

  it('find nothing past the first or last change', () => {
    expect(markBefore(marks, 100)).toBeUndefined();
    expect(markAfter(marks, 400)).toBeUndefined();
  });
});

describe('Function: describeMark', () => {
  it('names each change with its version, or as a deletion', () => {
    const marks = marksBetween(feed, 'app.', 200, 300);
    expect(marks.map(describeMark)).toEqual(['app.a v2, app.b v1', 'app.b deleted']);
  });
});

describe('Function: describeUnread', () => {
  it('says nothing when the load read every change of the window', () => {
    expect(describeUnread({ changes: feed, complete: true })).toBeUndefined();
  });

  it('says which changes are not marked, the bound, and how to read on, when it stopped', () => {
    const text = describeUnread({ changes: feed, complete: false });
    expect(text).toMatch(/^Changes after .+ are not marked yet: one load reads at most 20.000\./);
    expect(text).toContain('Press Now to read on.');
  });
});
