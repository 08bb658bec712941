import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { eventsPerPublish } from '#app/push/push-sink.ts';

/**
 * AppSync Events on loopback, the subset config-ledger's client and publisher use:
 *
 * - `POST /event` `{ channel, events }` publishes up to 5 events (JSON texts) on a channel and
 *   answers `{ successful, failed }`;
 * - `GET /event/realtime` upgrades to a WebSocket with the subprotocols `aws-appsync-event-ws`
 *   and `header-<base64url JSON of the authorization headers>`; then `connection_init` →
 *   `connection_ack`, `ka` every `keepAliveMs`, `subscribe` → `subscribe_success` or
 *   `subscribe_error`, `data` for each event on a matching channel, `unsubscribe` →
 *   `unsubscribe_success`, and `error` for anything else.
 *
 * Like the rest of the local stack it authenticates nobody (loopback only); the authorization
 * headers are only checked to be there and well formed, as a client sending none is a bug.
 */

export interface PushServerOptions {
  readonly host: string;
  readonly port: number;
  /** Default 60 s; AppSync says 5 minutes in `connectionTimeoutMs`, and sends one about every minute. */
  readonly keepAliveMs?: number;
  /** Fault injection for tests: true drops that event for that subscriber (push is lossy). */
  readonly dropDelivery?: (event: string) => boolean;
}

export interface PushServer {
  /** The HTTP publish endpoint; the real-time one is at `/event/realtime` on the same port. */
  readonly url: string;
  close(): Promise<void>;
}

const protocolName = 'aws-appsync-event-ws';
const connectionTimeoutMs = 300_000;
const segmentPattern = /^[A-Za-z0-9-]{1,50}$/;

interface Subscriber {
  readonly socket: WebSocket;
  /** Subscription id → channel (exact, or ending in `/*`). */
  readonly channels: Map<string, string>;
}

export async function startPushServer(options: PushServerOptions): Promise<PushServer> {
  const subscribers = new Set<Subscriber>();
  const server = createServer((request, response) =>
    publish(request, response, (channel, events) => fanOut(subscribers, channel, events, options)),
  );
  const sockets = new WebSocketServer({ server, path: '/event/realtime', handleProtocols });
  sockets.on('connection', (socket, request) => {
    if (!hasAuthorization(request)) {
      socket.close(4401, 'Missing the header-… subprotocol with the authorization headers.');
      return;
    }
    const subscriber: Subscriber = { socket, channels: new Map() };
    subscribers.add(subscriber);
    const keepAlive = setInterval(
      () => send(socket, { type: 'ka' }),
      options.keepAliveMs ?? 60_000,
    );
    socket.on('message', (data) => onMessage(subscriber, String(data)));
    socket.on('close', () => {
      clearInterval(keepAlive);
      subscribers.delete(subscriber);
    });
    socket.on('error', () => socket.terminate());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/event`,
    close: () => closeAll(server, sockets),
  };
}

function handleProtocols(protocols: Set<string>): string | false {
  return protocols.has(protocolName) ? protocolName : false;
}

function hasAuthorization(request: IncomingMessage): boolean {
  const offered = String(request.headers['sec-websocket-protocol'] ?? '').split(',');
  const header = offered.map((value) => value.trim()).find((value) => value.startsWith('header-'));
  if (!header) return false;
  try {
    const headers = JSON.parse(Buffer.from(header.slice(7), 'base64url').toString('utf8'));
    return typeof headers === 'object' && headers !== null && typeof headers.host === 'string';
  } catch {
    return false;
  }
}

function onMessage(subscriber: Subscriber, text: string): void {
  const message = parseObject(text);
  const id = typeof message?.id === 'string' ? message.id : undefined;
  send(subscriber.socket, reply(subscriber, message?.type, id, message?.channel));
}

function reply(subscriber: Subscriber, type: unknown, id: string | undefined, channel: unknown) {
  switch (type) {
    case 'connection_init':
      return { type: 'connection_ack', connectionTimeoutMs };
    case 'subscribe':
      return subscribe(subscriber, id, channel);
    case 'unsubscribe':
      if (id) subscriber.channels.delete(id);
      return { type: 'unsubscribe_success', id };
    default:
      return {
        type: 'error',
        errors: [{ errorType: 'UnsupportedOperation', message: 'Unknown message type.' }],
      };
  }
}

function subscribe(subscriber: Subscriber, id: string | undefined, channel: unknown): object {
  const problem =
    id === undefined
      ? 'A subscribe needs an id.'
      : subscriber.channels.has(id)
        ? `The subscription id ${id} is already in use.`
        : channelProblem(channel, true);
  if (problem || id === undefined) {
    return {
      type: 'subscribe_error',
      id,
      errors: [{ errorType: 'BadRequestException', message: problem }],
    };
  }
  subscriber.channels.set(id, channel as string);
  return { type: 'subscribe_success', id };
}

/** What is wrong with a channel path, if anything: AppSync's rules. */
export function channelProblem(channel: unknown, wildcardAllowed: boolean): string | undefined {
  if (typeof channel !== 'string' || !channel.startsWith('/')) {
    return 'A channel is a path such as /namespace/segment.';
  }
  const segments = channel.slice(1).split('/');
  const named = wildcardAllowed && segments.at(-1) === '*' ? segments.slice(0, -1) : segments;
  if (segments.length > 5 || named.length < 1) {
    return 'A channel has a namespace and at most 4 segments.';
  }
  if (!named.every((segment) => segmentPattern.test(segment))) {
    return 'Channel segments use only A-Z a-z 0-9 and -, 1 to 50 characters.';
  }
  return undefined;
}

function matches(subscription: string, channel: string): boolean {
  return subscription.endsWith('/*')
    ? channel.startsWith(subscription.slice(0, -1))
    : subscription === channel;
}

function fanOut(
  subscribers: Set<Subscriber>,
  channel: string,
  events: readonly string[],
  options: PushServerOptions,
): void {
  const delivered = options.dropDelivery
    ? (event: string) => !options.dropDelivery?.(event)
    : () => true;
  for (const subscriber of subscribers) {
    for (const [id, subscription] of subscriber.channels) {
      if (!matches(subscription, channel)) continue;
      for (const event of events.filter(delivered)) {
        sendText(
          subscriber.socket,
          `{"type":"data","id":${JSON.stringify(id)},"event":${JSON.stringify(event)}}`,
        );
      }
    }
  }
}

function publish(
  request: IncomingMessage,
  response: ServerResponse,
  deliver: (channel: string, events: readonly string[]) => void,
): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method !== 'POST' || request.url !== '/event') {
      return answer(response, 404, { errors: [{ errorType: 'NotFound', message: 'POST /event' }] });
    }
    const body = parseObject(Buffer.concat(chunks).toString('utf8'));
    const problem = publishProblem(body);
    if (problem || !body) {
      return answer(response, 400, {
        errors: [{ errorType: 'BadRequestException', message: problem }],
      });
    }
    const events = body.events as string[];
    deliver(body.channel as string, events);
    answer(response, 200, {
      successful: events.map((_, index) => ({ identifier: `${Date.now()}-${index}`, index })),
      failed: [],
    });
  });
}

function publishProblem(body: Record<string, unknown> | undefined): string | undefined {
  if (!body) return 'The body is a JSON object { channel, events }.';
  const channelIssue = channelProblem(body.channel, false);
  if (channelIssue) return channelIssue;
  const { events } = body;
  if (!Array.isArray(events) || events.length < 1 || events.length > eventsPerPublish) {
    return `events is an array of 1 to ${eventsPerPublish} JSON texts.`;
  }
  if (!events.every((event) => typeof event === 'string' && parseJsonOk(event))) {
    return 'Each event is a string of JSON.';
  }
  return undefined;
}

function parseJsonOk(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function send(socket: WebSocket, message: object): void {
  sendText(socket, JSON.stringify(message));
}

function sendText(socket: WebSocket, text: string): void {
  if (socket.readyState === socket.OPEN) socket.send(text);
}

function answer(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function closeAll(server: Server, sockets: WebSocketServer): Promise<void> {
  for (const client of sockets.clients) client.terminate();
  await new Promise<void>((resolve) => sockets.close(() => resolve()));
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
