import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type PushServer, startPushServer } from '#local/push-server.ts';
import { EventPublishError, httpEventPublisher } from '#store/event-publisher.ts';

let server: PushServer;
beforeAll(async () => {
  server = await startPushServer({ host: '127.0.0.1', port: 0 });
});
afterAll(() => server.close());

const header = (headers: object) =>
  `header-${Buffer.from(JSON.stringify(headers)).toString('base64url')}`;

/** A WebSocket to the server, and the messages it receives. */
async function connect(protocols: string[]) {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/realtime`, protocols);
  const messages: { type: string; [key: string]: unknown }[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise((resolve) => socket.once('open', resolve));
  return { socket, messages, closed };
}

async function until(condition: () => boolean) {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 500) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Local push server (AppSync Events protocol)', () => {
  it('acknowledges, subscribes and delivers what is published on a matching channel', async () => {
    const { socket, messages } = await connect(['aws-appsync-event-ws', header({ host: 'h' })]);
    socket.send(JSON.stringify({ type: 'connection_init' }));
    socket.send(JSON.stringify({ type: 'subscribe', id: 's1', channel: '/changes/a/*' }));
    await until(() => messages.some((message) => message.type === 'subscribe_success'));

    await httpEventPublisher({ url: server.url }).publish('/changes/a/b', ['{"n":1}']);
    await httpEventPublisher({ url: server.url }).publish('/changes/z', ['{"n":2}']);
    await until(() => messages.some((message) => message.type === 'data'));

    expect(messages.map((message) => message.type)).toEqual([
      'connection_ack',
      'subscribe_success',
      'data',
    ]);
    expect(messages[2]).toEqual({ type: 'data', id: 's1', event: '{"n":1}' });
    socket.close();
  });

  it('closes a connection that sends no authorization headers', async () => {
    const { closed } = await connect(['aws-appsync-event-ws']);
    expect(await closed).toBe(4401);
  });

  it('refuses a channel AppSync would refuse, and an unknown message', async () => {
    const { socket, messages } = await connect(['aws-appsync-event-ws', header({ host: 'h' })]);
    socket.send(JSON.stringify({ type: 'subscribe', id: 's1', channel: '/changes/a_b/*' }));
    socket.send(JSON.stringify({ type: 'start' }));
    await until(() => messages.length === 2);
    expect(messages.map((message) => message.type)).toEqual(['subscribe_error', 'error']);
    socket.close();
  });

  it('refuses a publish of more than 5 events, or on a wildcard, with 400', async () => {
    const publish = (body: object) =>
      fetch(server.url, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.status);
    expect(await publish({ channel: '/changes/a', events: Array(6).fill('{}') })).toBe(400);
    expect(await publish({ channel: '/changes/*', events: ['{}'] })).toBe(400);
    expect(await publish({ channel: '/changes/a', events: ['not json'] })).toBe(400);
  });
});

describe('Function: httpEventPublisher', () => {
  it('retries a 5xx, and gives up with EventPublishError after its attempts', async () => {
    let calls = 0;
    const flaky = createServer((_, response) => {
      calls += 1;
      response.writeHead(calls < 3 ? 503 : 200).end('{"successful":[],"failed":[]}');
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/event`;

    await httpEventPublisher({ url, baseDelayMs: 1 }).publish('/changes/a', ['{}']);
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      httpEventPublisher({ url, baseDelayMs: 1, attempts: 2 }).publish('/changes/a', ['{}']),
    ).rejects.toBeInstanceOf(EventPublishError);
    flaky.close();
  });
});
