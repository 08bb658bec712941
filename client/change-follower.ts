import type { ConfigLedgerClient } from './config-client.ts';
import type { Change } from './responses.ts';
import { type BackoffOptions, isTransient, transientFailures } from './retry.ts';

/** Where a follower is in the feed: after a revision, or (until the first answer) at an instant. */
export type FeedPosition = { readonly after: number } | { readonly since: string };

export interface FeedPage<C> {
  readonly changes: readonly C[];
  /** Every change up to this revision is in this page or came before it. */
  readonly revision: number;
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

  async *changes(signal: AbortSignal = new AbortController().signal): AsyncGenerator<C> {
    for (let failures = 0; !signal.aborted; ) {
      let page: FeedPage<C>;
      try {
        page = await this.readPage(this.position, signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted || !isTransient(error)) throw error;
        const delayMs = this.reconnect.delayMs(failures, error);
        this.options.onRetry?.(error, delayMs);
        await pause(delayMs, signal);
        failures = Math.min(failures + 1, 16);
        continue;
      }
      yield* this.handOut(page);
    }
  }

  /** A page's changes not handed out before (a repeat is skipped), moving the position with each. */
  private *handOut(page: FeedPage<C>): Generator<C> {
    for (const change of page.changes) {
      const after = this.revision;
      if (after !== undefined && change.revision <= after) continue;
      // Moved before the change is handed out: a caller that stops at it resumes right after it.
      this.position = { after: change.revision };
      yield change;
    }
    this.position = { after: Math.max(this.revision ?? 0, page.revision) };
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
