import { Agent, request } from 'node:http';

export interface BenchResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/**
 * A lean keep-alive HTTP client, so that the client's own cost stays small next to what is
 * measured: node:http with pooled sockets, no JSON parsing on the timed path.
 */
export class BenchClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly url: URL;

  constructor(baseUrl: string) {
    this.url = new URL(baseUrl);
  }

  get(path: string): Promise<BenchResponse> {
    return this.send('GET', path);
  }

  put(path: string, json: unknown): Promise<BenchResponse> {
    return this.send('PUT', path, JSON.stringify(json));
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * A keep-alive socket the server closes as idle while a request is being put on it fails with
   * ECONNRESET before the server read anything (a busy machine widens that window); such a request
   * is sent once more on a fresh socket. Any other failure ends the bench.
   */
  private async send(method: string, path: string, body?: string): Promise<BenchResponse> {
    try {
      return await this.sendOnce(method, path, body);
    } catch (error) {
      if (!(error instanceof StaleSocketError)) throw error;
      return this.sendOnce(method, path, body);
    }
  }

  private sendOnce(method: string, path: string, body?: string): Promise<BenchResponse> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        const stale = outgoing.reusedSocket && error.code === 'ECONNRESET';
        reject(stale ? new StaleSocketError({ cause: error }) : error);
      });
      outgoing.end(body);
    });
  }
}

class StaleSocketError extends Error {
  constructor(options: ErrorOptions) {
    super('The server closed an idle keep-alive socket as the request went out.', options);
    this.name = 'StaleSocketError';
  }
}

/** The version an entry response carries in its ETag ("3" → 3). */
export function versionOf(response: BenchResponse): number {
  const etag = response.headers.etag;
  return typeof etag === 'string' ? Number(etag.replaceAll('"', '')) : 0;
}

/** Fails the bench loudly: a figure measured on error responses would be meaningless. */
export function expectStatus(response: BenchResponse, ...statuses: number[]): BenchResponse {
  if (!statuses.includes(response.status)) {
    throw new Error(
      `Expected HTTP ${statuses.join('/')}, got ${response.status}: ${response.text}`,
    );
  }
  return response;
}
