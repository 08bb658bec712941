import type { ChangeSource } from './change-source.ts';
import type { ConfigLedgerClient } from './config-client.ts';
import {
  type PushAuthorizer,
  PushConnection,
  pushNoAuth,
  type SocketFactory,
} from './push-connection.ts';
import { channelOfPrefix, type PushedChange, pushedChangeSchema } from './push-protocol.ts';
import type { Change, ChangePage } from './responses.ts';

export interface PushOptions {
  /**
   * The push API's HTTP endpoint: the AppSync Event API's `https://….appsync-api.<region>.amazonaws.com/event`
   * (the stack's output `PushUrl`), or the local stack's `http://127.0.0.1:4001/event`.
   */
  readonly url: string;
  /** Default: none (the local stack). `pushSigV4Auth(region)` or `pushBearerAuth(token)` on AWS. */
  readonly authorize?: PushAuthorizer;
  /** The channel namespace the changes are published in. Default `changes`. */
  readonly namespace?: string;
  /**
   * With no push for this long, the feed is read anyway: a lost last push is found within it.
   * Default 30 minutes (about 1,460 requests a month).
   */
  readonly recheckMs?: number;
  /** After push failed, it is tried again no sooner than this. Default 30 s. */
  readonly retryPushMs?: number;
  /** The WebSocket to use. Default: the platform's, else the `ws` package's. */
  readonly socket?: SocketFactory;
}

type Wake = 'push' | 'closed' | 'recheck' | 'aborted';

/**
 * Changes by push, exactly: a WebSocket subscription on the reader's channel wakes the reader,
 * and the feed stays the truth. A push that is the very next revision, alone in its commit and
 * carrying its value, is applied as it is (no request); anything else (a gap, which a lost push
 * or another prefix's change makes look alike, a commit of several changes, a value too large
 * to push) is read from the feed after the reader's revision. Each (re)connection reads the feed
 * once subscribed, so what was published while disconnected is caught up, and nothing falls
 * between the read and the subscription. While the push cannot be reached, the feed is
 * long-polled instead.
 */
export class PushChangeSource implements ChangeSource {
  private connection: PushConnection | undefined;
  private caughtUpSinceConnect = false;
  private readonly pushed: PushedChange[] = [];
  private wake: ((why: Wake) => void) | undefined;
  private pushDownUntil = 0;
  private readonly url: URL;

  constructor(
    private readonly client: ConfigLedgerClient,
    private readonly options: PushOptions,
    private readonly prefix = '',
  ) {
    this.url = new URL(options.url);
  }

  async next(after: number, signal: AbortSignal): Promise<ChangePage> {
    const connection = await this.connected(signal);
    if (!connection) return this.client.changes({ after, waitSeconds: 20, limit: 1000, signal });
    if (!this.caughtUpSinceConnect) {
      const page = await this.readFeed(after, signal);
      this.caughtUpSinceConnect = true;
      return page;
    }
    return this.nextFromPush(after, signal);
  }

  /** Stops the push; a later `next` connects again. */
  close(): void {
    this.connection?.close();
  }

  private async nextFromPush(after: number, signal: AbortSignal): Promise<ChangePage> {
    for (;;) {
      this.dropShown(after);
      const first = this.pushed[0];
      if (first && first.revision === after + 1 && isWhole(first)) return this.take(first);
      // The log has every pushed revision before it is pushed; the wait only guards a busy loop.
      if (first) return this.readFeed(after, signal, 5);
      const why = await this.waitForPush(signal);
      if (why === 'recheck') return this.readFeed(after, signal);
      // Closed: connect again (or long-poll while the push is down), and catch up once subscribed.
      if (why === 'closed') return this.next(after, signal);
      if (why === 'aborted') return { changes: [], revision: after, more: false };
    }
  }

  private take(change: PushedChange): ChangePage {
    this.pushed.shift();
    return { changes: [asChange(change)], revision: change.revision, more: false };
  }

  private async readFeed(after: number, signal: AbortSignal, waitSeconds = 0): Promise<ChangePage> {
    const page = await this.client.changes({ after, limit: 1000, waitSeconds, signal });
    this.dropShown(page.revision);
    return page;
  }

  private dropShown(revision: number): void {
    while (this.pushed.length > 0 && (this.pushed[0]?.revision ?? 0) <= revision)
      this.pushed.shift();
  }

  private waitForPush(signal: AbortSignal): Promise<Wake> {
    return new Promise<Wake>((resolve) => {
      const done = (why: Wake) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.wake = undefined;
        resolve(why);
      };
      const onAbort = () => done('aborted');
      const timer = setTimeout(() => done('recheck'), this.options.recheckMs ?? 30 * 60_000);
      signal.addEventListener('abort', onAbort, { once: true });
      this.wake = done;
    });
  }

  /** The open connection, opening one if push is not known to be down; undefined while it is. */
  private async connected(signal: AbortSignal): Promise<PushConnection | undefined> {
    if (this.connection) return this.connection;
    if (Date.now() < this.pushDownUntil || signal.aborted) return undefined;
    try {
      this.connection = await PushConnection.open({
        url: this.url,
        channel: channelOfPrefix(this.prefix, this.options.namespace),
        authorize: this.options.authorize ?? pushNoAuth,
        socket: this.options.socket ?? (await defaultSocket()),
        onEvent: (event) => this.onPush(event),
        onClose: () => this.onClosed(),
      });
      this.caughtUpSinceConnect = false;
      return this.connection;
    } catch {
      this.pushDownUntil =
        Date.now() + (this.options.retryPushMs ?? 30_000) * (0.5 + Math.random());
      return undefined;
    }
  }

  private onPush(event: string): void {
    const parsed = pushedChangeSchema.safeParse(safeJson(event));
    if (!parsed.success) return;
    // Kept in revision order; a repeat (at-least-once publishing) is dropped.
    const change = parsed.data;
    if (
      this.pushed.some((known) => known.revision === change.revision && known.name === change.name)
    )
      return;
    this.pushed.push(change);
    this.pushed.sort((a, b) => a.revision - b.revision);
    this.wake?.('push');
  }

  private onClosed(): void {
    this.connection = undefined;
    this.pushed.length = 0;
    this.wake?.('closed');
  }
}

function isWhole(change: PushedChange): boolean {
  return change.commitSize === 1 && !change.valueOmitted;
}

function asChange(pushed: PushedChange): Change {
  const { commitSize: _size, valueOmitted: _omitted, ...change } = pushed;
  return change;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Node 22 and browsers have WebSocket; Node 20 gets it from the `ws` package. */
async function defaultSocket(): Promise<SocketFactory> {
  const native = (globalThis as { WebSocket?: new (url: string, protocols: string[]) => unknown })
    .WebSocket;
  if (native) return (url, protocols) => new native(url, protocols) as ReturnType<SocketFactory>;
  const { WebSocket } = await import('ws');
  return (url, protocols) => new WebSocket(url, protocols) as unknown as ReturnType<SocketFactory>;
}
