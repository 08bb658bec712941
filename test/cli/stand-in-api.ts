import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface StandInApi {
  readonly url: string;
  /** Every request so far, as received. */
  readonly received: ReceivedRequest[];
  /** What to answer from now on, with any headers besides content-type. */
  answer(status: number, body: string, headers?: Readonly<Record<string, string>>): void;
  close(): Promise<void>;
}

/**
 * A stand-in for the API, for what the local stack cannot show: the headers a request carries
 * (auth), or an answer that takes a race to produce (an import conflict).
 */
export async function startStandInApi(): Promise<StandInApi> {
  const received: ReceivedRequest[] = [];
  let reply: { status: number; body: string; headers?: Readonly<Record<string, string>> } = {
    status: 200,
    body: '{}',
  };
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      });
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    answer: (status, body, headers) => {
      reply = { status, body, ...(headers ? { headers } : {}) };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
