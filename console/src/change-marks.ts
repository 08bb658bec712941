import { api } from './api.ts';

/** One event of the change feed, as much of it as the time slider needs. */
export interface FeedChange {
  readonly at: number;
  readonly name: string;
  readonly version: number;
  readonly deleted: boolean;
}

/** An instant where something changed (under a prefix), with what changed then. */
export interface Mark {
  readonly at: number;
  readonly changes: readonly FeedChange[];
}

/**
 * The feed only starts at its beginning, so the console reads all of it, once per page load and
 * then only what is new; past this many changes it gives up rather than download the world.
 */
export const maxFeedChanges = 20_000;
const pageSize = 1000;

const known: FeedChange[] = [];
let cursor: string | undefined;
let reading: Promise<readonly FeedChange[]> | undefined;

/** Every change the feed serves so far (it serves a change about a second after it happens). */
export function feedChanges(): Promise<readonly FeedChange[]> {
  reading ??= readNewChanges().finally(() => {
    reading = undefined;
  });
  return reading;
}

async function readNewChanges(): Promise<readonly FeedChange[]> {
  for (;;) {
    if (known.length > maxFeedChanges) {
      throw new Error(
        `More than ${maxFeedChanges.toLocaleString()} changes in all: too many to mark here.`,
      );
    }
    const page = await api.changes(cursor, pageSize);
    for (const change of page.changes) {
      known.push({
        at: Date.parse(change.occurredAt),
        name: change.name,
        version: change.version,
        deleted: change.type === 'ConfigValueDeleted',
      });
    }
    cursor = page.cursor;
    // A full page means more may be waiting; past the limit, the check above gives up.
    if (page.changes.length < pageSize && known.length <= maxFeedChanges) return known.slice();
  }
}

/** The changes under a prefix between two instants, grouped by instant, oldest first. */
export function marksBetween(
  changes: readonly FeedChange[],
  prefix: string,
  from: number,
  to: number,
): Mark[] {
  const marks: { at: number; changes: FeedChange[] }[] = [];
  for (const change of changes) {
    if (change.at < from || change.at > to || !change.name.startsWith(prefix)) continue;
    const last = marks.at(-1);
    if (last?.at === change.at) last.changes.push(change);
    else marks.push({ at: change.at, changes: [change] });
  }
  return marks;
}

/** The latest mark before an instant. */
export const markBefore = (marks: readonly Mark[], instant: number) =>
  marks.findLast((mark) => mark.at < instant);

/** The earliest mark after an instant. */
export const markAfter = (marks: readonly Mark[], instant: number) =>
  marks.find((mark) => mark.at > instant);

/** What changed at a mark, in words: "tt.a v2, tt.b deleted". */
export function describeMark(mark: Mark): string {
  return mark.changes
    .map((change) => `${change.name} ${change.deleted ? 'deleted' : `v${change.version}`}`)
    .join(', ');
}
