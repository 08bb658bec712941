import type { AddressInfo } from 'node:net';
import type { DynamoDBRecord } from 'aws-lambda';
import dynalite from 'dynalite';
import { configureEngineStorage } from './engine-storage.ts';
import { type CapturedTable, captureStreamRecords } from './stream-capture.ts';

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

/** The embedded DynamoDB-compatible engine (dynalite), with streams captured for the given tables. */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  configureEngineStorage({ syncWrites: options.syncWrites ?? true });
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  captureStreamRecords(server, options.streams, options.onStreamRecords);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
