import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChangesPage } from '#console/api-types.ts';

type Changes = typeof import('#console/change-marks.ts');
type Api = typeof import('#console/api.ts');

const midnight = Date.UTC(2026, 10, 27);
/** n seconds past midnight. */
const pastMidnight = (n: number) => midnight + n * 1000;

/**
 * A page of `count` changes, the nth at n seconds past midnight, answered with revision `next`;
 * a full page says more was waiting.
 */
function page(first: number, count: number, next: number): ChangesPage {
  const changes = Array.from({ length: count }, (_, index) => ({
    name: `app.n${first + index}`,
    version: 1,
    revision: next - count + index + 1,
    type: 'ConfigValueSet' as const,
    value: 1,
    occurredAt: new Date(pastMidnight(first + index)).toISOString(),
    actor: 'local',
  }));
  return { changes, revision: next, more: count === 1000 };
}

describe('Function: feedChangesSince', () => {
  let marks: Changes;
  let api: Api['api'];

  beforeEach(async () => {
    // The module remembers what it read: a fresh copy for each test.
    vi.resetModules();
    marks = await import('#console/change-marks.ts');
    api = (await import('#console/api.ts')).api;
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads from the window’s start with since, then only what came after the last revision', async () => {
    // Prepare
    const changes = vi
      .spyOn(api, 'changes')
      .mockResolvedValueOnce(page(0, 1000, 1))
      .mockResolvedValueOnce(page(1000, 2, 2))
      .mockResolvedValueOnce(page(1002, 1, 3));

    // Act
    const first = await marks.feedChangesSince(pastMidnight(0));
    const again = await marks.feedChangesSince(pastMidnight(0));

    // Assess
    expect(first).toMatchObject({ complete: true });
    expect(first.changes).toHaveLength(1002);
    expect(again.changes).toHaveLength(1003);
    expect(again.changes.at(-1)).toMatchObject({ name: 'app.n1002', version: 1, deleted: false });
    expect(changes.mock.calls).toEqual([
      [{ since: '2026-11-27T00:00:00.000Z' }, 1000],
      [{ after: 1 }, 1000],
      [{ after: 2 }, 1000],
    ]);
  });

  it('reads on after the revision for a later start, and drops what is before it', async () => {
    // Prepare
    const changes = vi
      .spyOn(api, 'changes')
      .mockResolvedValueOnce(page(0, 10, 1))
      .mockResolvedValueOnce(page(10, 1, 2));

    // Act
    await marks.feedChangesSince(pastMidnight(0));
    const later = await marks.feedChangesSince(pastMidnight(5));

    // Assess
    expect(changes.mock.calls.map(([start]) => start)).toEqual([
      { since: '2026-11-27T00:00:00.000Z' },
      { after: 1 },
    ]);
    expect(later.changes.map((change) => change.at)).toEqual(
      [5, 6, 7, 8, 9, 10].map((n) => pastMidnight(n)),
    );
  });

  it('starts over from since when the window reaches further back, or starts after what was read', async () => {
    // Prepare
    const changes = vi
      .spyOn(api, 'changes')
      .mockResolvedValueOnce(page(100, 2, 1))
      .mockResolvedValueOnce(page(50, 52, 2))
      .mockResolvedValueOnce(page(200, 1, 3));

    // Act
    await marks.feedChangesSince(pastMidnight(100));
    const wider = await marks.feedChangesSince(pastMidnight(50));
    const past = await marks.feedChangesSince(pastMidnight(200));

    // Assess
    expect(changes.mock.calls.map(([start]) => start)).toEqual([
      { since: new Date(pastMidnight(100)).toISOString() },
      { since: new Date(pastMidnight(50)).toISOString() },
      { since: new Date(pastMidnight(200)).toISOString() },
    ]);
    expect(wider.changes).toHaveLength(52);
    expect(past.changes.map((change) => change.at)).toEqual([pastMidnight(200)]);
  });

  it('stops after a bound of pages, says the read is not complete, and reads on at the next load', async () => {
    // Prepare
    let served = 0;
    const changes = vi.spyOn(api, 'changes').mockImplementation(async () => {
      served += 1000;
      return page(served - 1000, 1000, served);
    });

    // Act
    const first = await marks.feedChangesSince(pastMidnight(0));
    const next = await marks.feedChangesSince(pastMidnight(0));

    // Assess
    expect(first.complete).toBe(false);
    expect(first.changes).toHaveLength(marks.maxPagesPerLoad * marks.pageSize);
    expect(changes).toHaveBeenCalledTimes(2 * marks.maxPagesPerLoad);
    expect(changes.mock.calls[marks.maxPagesPerLoad]?.[0]).toEqual({
      after: marks.maxPagesPerLoad * 1000,
    });
    expect(next.complete).toBe(false);
    expect(next.changes).toHaveLength(2 * marks.maxPagesPerLoad * marks.pageSize);
  });

  it('runs loads one after another, each with what the one before read', async () => {
    // Prepare
    const changes = vi
      .spyOn(api, 'changes')
      .mockResolvedValueOnce(page(0, 3, 1))
      .mockResolvedValueOnce(page(3, 1, 2));

    // Act
    const [first, afterIt] = await Promise.all([
      marks.feedChangesSince(pastMidnight(0)),
      marks.feedChangesSince(pastMidnight(1)),
    ]);

    // Assess
    expect(changes.mock.calls.map(([start]) => start)).toEqual([
      { since: '2026-11-27T00:00:00.000Z' },
      { after: 1 },
    ]);
    expect(first.changes).toHaveLength(3);
    expect(afterIt.changes.map((change) => change.at)).toEqual(
      [1, 2, 3].map((n) => pastMidnight(n)),
    );
  });

  it('keeps what a failed load read, and the next load reads on from there', async () => {
    // Prepare
    const changes = vi
      .spyOn(api, 'changes')
      .mockResolvedValueOnce(page(0, 1000, 1))
      .mockRejectedValueOnce(new Error('The service could not be reached.'))
      .mockResolvedValueOnce(page(1000, 1, 2));

    // Act & Assess
    await expect(marks.feedChangesSince(pastMidnight(0))).rejects.toThrow(/could not be reached/);
    const retried = await marks.feedChangesSince(pastMidnight(0));
    expect(retried.changes).toHaveLength(1001);
    expect(changes.mock.calls.map(([start]) => start)).toEqual([
      { since: '2026-11-27T00:00:00.000Z' },
      { after: 1 },
      { after: 1 },
    ]);
  });
});
