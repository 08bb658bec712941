import { ChangeFollower, type FeedPage, type FeedPosition } from './change-follower.ts';
import { type ChangeSource, longPollFeed } from './change-source.ts';
import type { ConfigLedgerClient } from './config-client.ts';
import { NotFoundError } from './errors.ts';
import { PushChangeSource, type PushOptions } from './push-source.ts';
import type { Change, Entry } from './responses.ts';
import type { BackoffOptions } from './retry.ts';

export interface ReaderOptions {
  /** Only names starting with it; default every name. */
  readonly prefix?: string;
  /**
   * Push first: changes arrive over a WebSocket (AppSync Events, or the local stack's), each
   * still exactly once and in order, the feed filling any gap; the feed is long-polled while
   * the push cannot be reached. See PushChangeSource.
   */
  readonly push?: PushOptions;
  /** Default: push when `push` is given, else the change feed, long-polled 20 s at a time. */
  readonly source?: ChangeSource;
  /** The pause before following again after a failure. Default: full jitter up to 30 s. */
  readonly reconnect?: BackoffOptions;
  /** Default Date.now; tests pass a clock. */
  readonly now?: () => number;
}

/** How old the snapshot may be: what it reflects and when the service last answered. */
export interface Staleness {
  /** The revision the snapshot shows: every change up to it, none after. */
  readonly revision: number;
  /** When the service last answered (the load, or the last poll of the feed). */
  readonly lastContactAt: Date;
  /** Milliseconds since then: small while following; growing while the service is unreachable. */
  readonly ageMs: number;
}

export type ChangeListener = (change: Change) => void;
export type ErrorListener = (error: unknown) => void;

/**
 * An application's configuration in memory: loaded at one revision, read with no network call,
 * kept current by following the change feed. While the service cannot be reached it goes on
 * serving the last good snapshot (stale-if-error) and says how stale it is.
 */
export class ConfigReader {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly errorListeners = new Set<ErrorListener>();
  private readonly source: ChangeSource;
  private readonly now: () => number;
  private following: AbortController | undefined;
  private revisionShown = 0;
  /** The ledger is behind the snapshot (restored from a backup, or another one): load again. */
  private mustReload = false;
  private lastContactMs: number;

  private constructor(
    readonly client: ConfigLedgerClient,
    private readonly options: ReaderOptions,
  ) {
    this.source =
      options.source ??
      (options.push
        ? new PushChangeSource(client, options.push, options.prefix)
        : longPollFeed(client));
    this.now = options.now ?? Date.now;
    this.lastContactMs = this.now();
  }

  /** Loads every entry under the prefix at one revision. */
  static async load(
    client: ConfigLedgerClient,
    options: ReaderOptions = {},
  ): Promise<ConfigReader> {
    const reader = new ConfigReader(client, options);
    await reader.loadSnapshot();
    return reader;
  }

  private async loadSnapshot(): Promise<void> {
    const { revision, result } = await this.client.listAll({ prefix: this.options.prefix });
    this.entries.clear();
    for (const entry of result) this.entries.set(entry.name, entry);
    this.revisionShown = revision;
    this.lastContactMs = this.now();
    this.mustReload = false;
  }

  /** The value of an entry, from memory; undefined if it does not exist (at `revision`). */
  get(name: string): unknown {
    return this.entries.get(name)?.value;
  }

  /** The entry with its version, revision and who set it, from memory. */
  entry(name: string): Entry | undefined {
    return this.entries.get(name);
  }

  /** Every entry of the snapshot, in name order. */
  all(): Entry[] {
    return [...this.entries.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  get revision(): number {
    return this.revisionShown;
  }

  staleness(): Staleness {
    return {
      revision: this.revisionShown,
      lastContactAt: new Date(this.lastContactMs),
      ageMs: this.now() - this.lastContactMs,
    };
  }

  /**
   * Calls `listener` with each change under the prefix, in revision order, once, after the
   * snapshot has applied it; follows the feed while anyone listens. A listener that throws is
   * reported to the error listeners and does not stop the others, nor the follow. Returns the
   * unsubscribe.
   */
  subscribe(listener: ChangeListener, onError?: ErrorListener): () => void {
    this.listeners.add(listener);
    if (onError) this.errorListeners.add(onError);
    if (!this.following) this.follow();
    return () => {
      this.listeners.delete(listener);
      if (onError) this.errorListeners.delete(onError);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Stops following; the snapshot stays readable as it is. */
  close(): void {
    this.listeners.clear();
    this.errorListeners.clear();
    this.stop();
  }

  private stop(): void {
    this.following?.abort();
    this.following = undefined;
    this.source.close?.();
  }

  private follow(): void {
    const controller = new AbortController();
    this.following = controller;
    void this.followUntil(controller.signal);
  }

  /**
   * Follows the source with the client's follower (each change once, in revision order, riding
   * out failures with jittered backoff). Every failure is ridden out, not only those that pass by
   * themselves: the reader serves its last snapshot whatever happens (stale-if-error).
   */
  private async followUntil(signal: AbortSignal): Promise<void> {
    const follower = new ChangeFollower(
      (position, signal) => this.nextPage(position, signal),
      { after: this.revisionShown },
      {
        reconnect: this.options.reconnect,
        onRetry: (error) => this.failed(error),
        ridesOut: () => true,
      },
    );
    try {
      for await (const page of follower.pages(signal)) this.apply(page);
    } catch (error) {
      // A stop ends the follow with the abort of the request in flight: nothing to tell.
      if (!signal.aborted) this.tell(error);
    }
  }

  /** The next page of the source, or the snapshot loaded again: the feed starts over there. */
  private async nextPage(position: FeedPosition, signal: AbortSignal): Promise<FeedPage<Change>> {
    if (this.mustReload) {
      await this.loadSnapshot();
      return { changes: [], revision: this.revisionShown, restarted: true };
    }
    return this.source.next('after' in position ? position.after : this.revisionShown, signal);
  }

  /** Tells the error listeners; a ledger behind the snapshot makes the next step a reload. */
  private failed(error: unknown): void {
    if (error instanceof NotFoundError && error.code === 'revision_not_found') {
      this.mustReload = true;
    }
    this.tell(error);
  }

  private tell(error: unknown): void {
    for (const onError of this.errorListeners) onError(error);
  }

  /** Applies a page the follower has cleared of repeats. */
  private apply(page: FeedPage<Change>): void {
    for (const change of page.changes) this.applyOne(change);
    // A restarted page is at the snapshot just loaded, which set the revision already.
    this.revisionShown = Math.max(this.revisionShown, page.revision);
    this.lastContactMs = this.now();
  }

  private applyOne(change: Change): void {
    if (!change.name.startsWith(this.options.prefix ?? '')) return;
    if (change.type === 'ConfigValueDeleted') {
      this.entries.delete(change.name);
    } else {
      this.entries.set(change.name, {
        name: change.name,
        value: change.value,
        version: change.version,
        revision: change.revision,
        updatedAt: change.occurredAt,
        updatedBy: change.actor,
      });
    }
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.tell(error);
      }
    }
  }
}
