import { api } from './api.ts';
import { brief } from './instant.ts';

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

/** What the feed served since an instant: every change, or the earliest when there were many. */
export interface FeedRead {
  readonly changes: readonly FeedChange[];
  /** False when the read stopped at maxPagesPerLoad: the later changes are not in yet. */
  readonly complete: boolean;
}

/**
 * The console reads the feed from the window's start, so a load costs what the window holds; in
 * a busy window it stops after this many pages and reads on at the next load (Now, a window).
 */
export const maxPagesPerLoad = 20;
export const pageSize = 1000;

/** What was read: every change from `since` up to the feed's `revision`, oldest first. */
interface Read {
  readonly since: number;
  readonly changes: FeedChange[];
  readonly revision: number;
}

let read: Read | undefined;
let previous: Promise<unknown> = Promise.resolve();

/**
 * The changes since an instant that the feed serves so far (every committed change, by
 * revision). The first load of a window reads from its start; later loads of the same or a later
 * start read only what is new, after the last revision read. Loads run one after another, as
 * they share what was read.
 */
export function feedChangesSince(since: number): Promise<FeedRead> {
  const load = previous.then(() => readSince(since));
  previous = load.catch(() => undefined);
  return load;
}

/**
 * What was read, when it holds every change from `since` to its revision: not when the window
 * now reaches further back, nor when it starts after the last change read (reading on after the
 * revision would then read changes before the window too).
 */
function resumable(since: number): Read | undefined {
  if (read === undefined || since < read.since) return undefined;
  const reached = read.changes.at(-1)?.at ?? read.since;
  return reached >= since ? read : undefined;
}

async function readSince(since: number): Promise<FeedRead> {
  const known = resumable(since);
  // Only the window's changes are kept: memory, like the reading, grows with the window.
  const changes = (known?.changes ?? []).filter((change) => change.at >= since);
  let revision = known?.revision;
  for (let pages = 0; pages < maxPagesPerLoad; pages++) {
    const start =
      revision === undefined ? { since: new Date(since).toISOString() } : { after: revision };
    const page = await api.changes(start, pageSize);
    for (const change of page.changes) {
      changes.push({
        at: Date.parse(change.occurredAt),
        name: change.name,
        version: change.version,
        deleted: change.type === 'ConfigValueDeleted',
      });
    }
    revision = page.revision;
    // Kept page by page: a load that fails later still leaves what it read for the next one.
    read = { since, changes, revision };
    if (!page.more) return { changes: changes.slice(), complete: true };
  }
  return { changes: changes.slice(), complete: false };
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

/** When a load stopped at its bound: that the latest changes are not marked, and why. */
export function describeUnread(read: FeedRead): string | undefined {
  if (read.complete) return undefined;
  const last = read.changes.at(-1);
  const which = last === undefined ? 'The latest changes' : `Changes after ${brief(last.at)}`;
  const bound = (maxPagesPerLoad * pageSize).toLocaleString();
  return `${which} are not marked yet: one load reads at most ${bound}. Press Now to read on.`;
}
