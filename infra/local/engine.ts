import type { AddressInfo } from 'node:net';
import type { DynamoDBRecord } from 'aws-lambda';
import dynalite from 'dynalite';
import { installEngineLayers } from './engine-layers.ts';
import { configureEngineStorage } from './engine-storage.ts';
import { type CapturedTable, streamCapture } from './stream-capture.ts';
import { strictLimits } from './strict-limits.ts';

export interface Engine {
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface EngineOptions {
  /** LevelDB folder; in memory when absent. */
  readonly path?: string;
  /** Answer each write only once it is on disk (see engine-storage.ts). @default true */
  readonly syncWrites?: boolean;
  readonly host: string;
  readonly port: number;
  /** Tables whose writes are captured as stream records. */
  readonly streams: readonly CapturedTable[];
  readonly onStreamRecords: (records: DynamoDBRecord[]) => void;
}

/** How long requests in progress may take to finish when the engine closes. */
const closeGraceMs = 2000;

/**
 * The embedded DynamoDB-compatible engine: dynalite, behind a layer that refuses what DynamoDB
 * refuses and dynalite lets through (strict-limits.ts), and one that writes the stream records
 * DynamoDB Streams would for the given tables (stream-capture.ts).
 */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  configureEngineStorage({ syncWrites: options.syncWrites ?? true });
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  // Refusals first: a refused write is no write, and gets no stream record.
  installEngineLayers(server, (engine) => [
    strictLimits(engine),
    streamCapture(engine, options.streams, options.onStreamRecords),
  ]);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // dynalite closes its database once the server has closed. A request in progress must
        // finish first, or it meets a closed database and throws outside any caller's reach:
        // close idle connections now, busy ones after their request (or after a grace period).
        const grace = setTimeout(() => server.closeAllConnections(), closeGraceMs);
        server.close(() => {
          clearTimeout(grace);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
