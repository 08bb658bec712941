import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChangesPage } from '#console/api-types.ts';

type Changes = typeof import('#console/change-marks.ts');
type Api = typeof import('#console/api.ts');

/** A page of `count` changes, the nth at n seconds past midnight, answered with cursor `next`. */
function page(first: number, count: number, next: string): ChangesPage {
  const changes = Array.from({ length: count }, (_, index) => ({
    name: `app.n${first + index}`,
    version: 1,
    type: 'ConfigValueSet' as const,
    value: 1,
    occurredAt: new Date(Date.UTC(2026, 10, 27) + (first + index) * 1000).toISOString(),
    actor: 'local',
  }));
  return { changes, cursor: next };
}

describe('Function: feedChanges', () => {
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

  it('reads every page, then only what came after the last cursor', async () => {
    // Prepare
    const changes = vi
      .spyOn(api, 'changes')
      .mockResolvedValueOnce(page(0, 1000, 'c1'))
      .mockResolvedValueOnce(page(1000, 2, 'c2'))
      .mockResolvedValueOnce(page(1002, 1, 'c3'));

    // Act
    const first = await marks.feedChanges();
    const second = await marks.feedChanges();

    // Assess
    expect(first).toHaveLength(1002);
    expect(second).toHaveLength(1003);
    expect(second.at(-1)).toMatchObject({ name: 'app.n1002', version: 1, deleted: false });
    expect(changes.mock.calls.map(([after]) => after)).toEqual([undefined, 'c1', 'c2']);
  });

  it('gives up past the limit, and reads no further afterwards', async () => {
    // Prepare
    let served = 0;
    const changes = vi.spyOn(api, 'changes').mockImplementation(async () => {
      served += 1000;
      return page(served - 1000, 1000, `c${served}`);
    });

    // Act and Assess
    await expect(marks.feedChanges()).rejects.toThrow(/too many to mark/);
    const calls = changes.mock.calls.length;
    expect(calls * 1000).toBeGreaterThan(marks.maxFeedChanges);
    await expect(marks.feedChanges()).rejects.toThrow(/too many to mark/);
    expect(changes.mock.calls.length).toBe(calls);
  });
});
