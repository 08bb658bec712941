import type { ConfigLedgerClient } from './config-client.ts';
import type { Change } from './responses.ts';
import { type BackoffOptions, isTransient, transientFailures } from './retry.ts';

/** Where a follower is in the feed: after a revision, or (until the first answer) at an instant. */
export type FeedPosition = { readonly after: number } | { readonly since: string };

export interface FeedPage<C> {
  readonly changes: readonly C[];
  /** Every change up to this revision is in this page or came before it. */
  readonly revision: number;
  /**
   * The feed starts over at `revision` (a reader loaded its snapshot again, say, after the ledger
   * was restored from a backup): the position moves there, back as well as forward.
   */
  readonly restarted?: boolean;
}

/** One page of the feed from a position, waiting a while for a change when there is none. */
export type FeedPageReader<C> = (
  position: FeedPosition,
  signal: AbortSignal,
) => Promise<FeedPage<C>>;

export interface FollowerOptions {
  /** The pause before asking again after a failure. Default: full jitter from 0.5 s up to 30 s. */
  readonly reconnect?: BackoffOptions;
  /** Told of each failure that the follower rides out, and how long it waits before asking again. */
  readonly onRetry?: (error: unknown, delayMs: number) => void;
  /**
   * Which failures are ridden out (asked again after a pause); any other ends the follow.
   * Default: those that pass by themselves (no answer, 429, 5xx).
   */
  readonly ridesOut?: (error: unknown) => boolean;
}

/**
 * Follows the change feed by revision: each change once, in revision order, across failures
 * (waiting longer after each, with jitter, so that followers failed by one outage do not all come
 * back at once), and resumable exactly from `revision`. Only failures that pass by themselves
 * (no answer, 429, 5xx) are ridden out; any other ends the follow with the error.
 */
export class ChangeFollower<C extends { readonly revision: number }> {
  private position: FeedPosition;
  private readonly reconnect;

  constructor(
    private readonly readPage: FeedPageReader<C>,
    start: FeedPosition,
    private readonly options: FollowerOptions = {},
  ) {
    this.position = start;
    this.reconnect = transientFailures({
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      ...options.reconnect,
    });
  }

  /** Every change up to it has been handed out; undefined while started at an instant with no answer yet. */
  get revision(): number | undefined {
    return 'after' in this.position ? this.position.after : undefined;
  }

  /**
   * Each change once, in revision order. Every change of a commit shares its revision and a page
   * holds whole commits, so the position moves past a revision only once its last change is
   * handed out: a caller that stops in the middle of a commit is shown the commit again rather
   * than missing the rest of it.
   */
  async *changes(signal: AbortSignal = new AbortController().signal): AsyncGenerator<C> {
    for await (const page of this.pages(signal)) {
      for (const [index, change] of page.changes.entries()) {
        const next = page.changes[index + 1];
        if (next === undefined || next.revision !== change.revision) {
          // Moved before the change is handed out: a caller that stops at it resumes right after it.
          this.position = { after: change.revision };
        }
        yield change;
      }
    }
  }

  /**
   * Each page of the feed without the changes handed out before (a repeat), across failures. The
   * position moves past a page when the caller asks for the next one.
   */
  async *pages(signal: AbortSignal = new AbortController().signal): AsyncGenerator<FeedPage<C>> {
    for (let failures = 0; !signal.aborted; ) {
      let page: FeedPage<C>;
      try {
        page = await this.readPage(this.position, signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted || !this.ridesOut(error)) throw error;
        const delayMs = this.reconnect.delayMs(failures, error);
        this.options.onRetry?.(error, delayMs);
        await pause(delayMs, signal);
        failures = Math.min(failures + 1, 16);
        continue;
      }
      if (signal.aborted) return;
      yield this.unseen(page);
      this.position = {
        after: page.restarted ? page.revision : Math.max(this.revision ?? 0, page.revision),
      };
    }
  }

  private ridesOut(error: unknown): boolean {
    return (this.options.ridesOut ?? isTransient)(error);
  }

  /** The page without the changes at or before the position (a restarted page keeps them all). */
  private unseen(page: FeedPage<C>): FeedPage<C> {
    const after = page.restarted ? undefined : this.revision;
    if (after === undefined) return page;
    return { ...page, changes: page.changes.filter((change) => change.revision > after) };
  }
}

/** Follows a service's change feed with long polls of `waitSeconds`. */
export function followChanges(
  client: ConfigLedgerClient,
  start: FeedPosition,
  options: FollowerOptions & { readonly waitSeconds?: number; readonly pageSize?: number } = {},
): ChangeFollower<Change> {
  const { waitSeconds = 20, pageSize = 1000 } = options;
  return new ChangeFollower(
    (position, signal) => client.changes({ ...position, waitSeconds, limit: pageSize, signal }),
    start,
    options,
  );
}

/** Waits `ms`, or less if the follow is stopped meanwhile. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
