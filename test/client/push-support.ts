import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A WebSocket proxy in front of the local stack's push that loses messages: each `data` message
 * for which `drop` says true never reaches the client. Push is lossy on AWS too (a reconnect, a
 * throttled publish); this makes it lossy on purpose.
 */
export async function lossyPushProxy(pushUrl: string, drop: (index: number) => boolean) {
  const upstream = new URL(pushUrl);
  let dataMessages = 0;
  let dropped = 0;
  const server = createServer();
  const sockets = new WebSocketServer({
    server,
    path: '/event/realtime',
    handleProtocols: (protocols) => [...protocols][0] ?? false,
  });
  sockets.on('connection', (client, request) => {
    const protocols = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((value) => value.trim());
    const target = new WebSocket(`ws://${upstream.host}/event/realtime`, protocols);
    const pending: string[] = [];
    target.on('open', () => {
      for (const message of pending.splice(0)) target.send(message);
    });
    client.on('message', (data) => {
      if (target.readyState === target.OPEN) target.send(String(data));
      else pending.push(String(data));
    });
    target.on('message', (data) => {
      const text = String(data);
      if (JSON.parse(text).type === 'data' && drop(dataMessages++)) {
        dropped += 1;
        return;
      }
      client.send(text);
    });
    target.on('close', () => client.close());
    client.on('close', () => target.close());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/event`,
    dropped: () => dropped,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise((resolve) => sockets.close(resolve));
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
