import { randomUUID } from 'node:crypto';
import { ConfigLedgerClientError } from './errors.ts';
import { type CredentialsProvider, createSigV4Signer, lazyDefaultCredentials } from './sigv4.ts';

/** The push could not be reached or refused the subscription; the reader reads the feed instead. */
export class PushUnavailableError extends ConfigLedgerClientError {
  override readonly name = 'PushUnavailableError';
  readonly code = 'push_unavailable';
}

/**
 * The headers that authorise a connection or a subscription, as AppSync Events takes them: for
 * the request `POST <http endpoint>` with `body` (`{}` to connect, `{"channel":…}` to subscribe).
 */
export type PushAuthorizer = (request: {
  readonly url: URL;
  readonly body: string;
}) => Promise<Record<string, string>>;

/** The local stack: no credential, only the host AppSync asks for. */
export const pushNoAuth: PushAuthorizer = async ({ url }) => ({ host: url.host });

/** A JWT, for an API whose subscribers authorise with the issuer's tokens (OIDC / Lambda). */
export function pushBearerAuth(token: string): PushAuthorizer {
  return async ({ url }) => ({ host: url.host, Authorization: token });
}

/** IAM: each request signed for `appsync` in `region`, by default with the default chain. */
export function pushSigV4Auth(region: string, credentials?: CredentialsProvider): PushAuthorizer {
  const sign = createSigV4Signer(region, credentials ?? lazyDefaultCredentials(), 'appsync');
  return async ({ url, body }) => {
    const headers = {
      accept: 'application/json, text/javascript',
      'content-encoding': 'amz-1.0',
      'content-type': 'application/json; charset=UTF-8',
    };
    return { ...headers, host: url.host, ...(await sign({ method: 'POST', url, headers, body })) };
  };
}

/** The part of a WebSocket the connection uses: Node's, the browser's and `ws`'s all have it. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: 'open' | 'message' | 'close' | 'error',
    listener: (event: { readonly data?: unknown }) => void,
  ): void;
}
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface PushConnectionOptions {
  /** The HTTP endpoint (`…/event`); the real-time one is derived from it as AppSync does. */
  readonly url: URL;
  readonly channel: string;
  readonly authorize: PushAuthorizer;
  readonly socket: SocketFactory;
  /** Gives up connecting or subscribing after this long. Default 10 s. */
  readonly timeoutMs?: number;
  readonly onEvent: (event: string) => void;
  readonly onClose: () => void;
}

/** AppSync's real-time endpoint for an HTTP one; the local stack serves both on one port. */
export function realtimeUrlOf(url: URL): string {
  const realtime = new URL(url);
  realtime.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  realtime.hostname = url.hostname.replace('.appsync-api.', '.appsync-realtime-api.');
  realtime.pathname = `${url.pathname.replace(/\/$/, '')}/realtime`;
  return realtime.toString();
}

/**
 * One WebSocket subscribed to one channel, in AppSync Events' protocol: connection_init → ack,
 * subscribe → subscribe_success, then each `data` event is handed on. Closed when the server
 * closes it, or when no keep-alive came within the time the server announced.
 */
export class PushConnection {
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly socket: SocketLike,
    private readonly options: PushConnectionOptions,
  ) {}

  static async open(options: PushConnectionOptions): Promise<PushConnection> {
    const header = await options.authorize({ url: options.url, body: '{}' });
    const protocols = ['aws-appsync-event-ws', `header-${base64url(JSON.stringify(header))}`];
    const connection = new PushConnection(
      options.socket(realtimeUrlOf(options.url), protocols),
      options,
    );
    try {
      await connection.handshake();
      return connection;
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.keepAliveTimer);
    this.socket.close(1000);
    this.options.onClose();
  }

  private handshake(): Promise<void> {
    const subscriptionId = randomUUID();
    return new Promise<void>((resolve, reject) => {
      const fail = (message: string) => reject(new PushUnavailableError(message));
      const timer = setTimeout(
        () => fail('The push did not answer in time.'),
        this.options.timeoutMs ?? 10_000,
      );
      const settle = (error?: string) => {
        clearTimeout(timer);
        if (error) fail(error);
        else resolve();
      };
      this.socket.addEventListener('open', () => this.send({ type: 'connection_init' }));
      this.socket.addEventListener('error', () => settle('The push connection failed.'));
      this.socket.addEventListener('close', () => {
        settle('The push closed the connection.');
        this.close();
      });
      this.socket.addEventListener('message', (event) =>
        this.onMessage(String(event.data), subscriptionId, settle),
      );
    });
  }

  private onMessage(text: string, subscriptionId: string, settle: (error?: string) => void): void {
    const message = parseMessage(text);
    if (message.type === 'connection_ack') {
      this.keepAlive(message.connectionTimeoutMs);
      this.subscribe(subscriptionId).catch(() => settle('Could not authorise the subscription.'));
    } else if (message.type === 'ka') {
      this.keepAlive();
    } else if (message.type === 'subscribe_success') {
      settle();
    } else if (message.type === 'data') {
      this.keepAlive();
      if (message.id === subscriptionId && typeof message.event === 'string') {
        this.options.onEvent(message.event);
      }
    } else if (refusals.has(String(message.type))) {
      settle(`The push refused: ${JSON.stringify(message.errors ?? message)}`);
    }
  }

  private async subscribe(id: string): Promise<void> {
    const body = JSON.stringify({ channel: this.options.channel });
    const authorization = await this.options.authorize({ url: this.options.url, body });
    this.send({ type: 'subscribe', id, channel: this.options.channel, authorization });
  }

  private timeoutMs = 300_000;

  /** No keep-alive within the announced time: the connection is dead even if TCP says not. */
  private keepAlive(timeoutMs?: unknown): void {
    if (typeof timeoutMs === 'number' && timeoutMs > 0) this.timeoutMs = timeoutMs;
    clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = setTimeout(() => this.close(), this.timeoutMs);
    this.keepAliveTimer.unref?.();
  }

  private send(message: object): void {
    if (this.socket.readyState === 1) this.socket.send(JSON.stringify(message));
  }
}

const refusals = new Set(['subscribe_error', 'connection_error', 'error']);

function parseMessage(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
