import type { ConfigLedgerClient } from './config-client.ts';
import type { ChangePage } from './responses.ts';

/**
 * Where a reader learns of changes: the next changes after a revision, in revision order,
 * waiting for one when there is none. The feed's promises (ordered, none missed, none twice,
 * resumable from any revision) are what a reader relies on, so any transport must keep them.
 *
 * A push transport (AppSync Events, a WebSocket) fits here without the reader changing: it
 * resolves `next` when a push says something after `after` happened, by reading the feed after
 * `after`, so a lost or reordered push costs latency, never a change.
 */
export interface ChangeSource {
  next(after: number, signal: AbortSignal): Promise<ChangePage>;
  /** Lets go of what it holds open (a push connection) when the reader stops following. */
  close?(): void;
}

/** The change feed, long-polled: one request per change or per `waitSeconds` when idle. */
export function longPollFeed(client: ConfigLedgerClient, waitSeconds = 20): ChangeSource {
  return {
    next: (after, signal) => client.changes({ after, waitSeconds, limit: 1000, signal }),
  };
}
