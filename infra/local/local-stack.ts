import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { ChangeSink } from '#app/change-sink.ts';
import { type CatchUpReport, catchUp } from '#app/projection.ts';
import { changeSinksFromEnv } from '#sinks/change-sinks.ts';
import {
  ConfigurationError,
  type LocalStackConfig,
  localStores,
  localTables,
  streamedTables,
} from './config.ts';
import { ensureTables } from './create-tables.ts';
import { assertWritable, engineDirectory, recordEndpoints } from './data-dir.ts';
import { type Engine, startEngine } from './engine.ts';
import { type StreamsFeed, startStreamsFeed } from './external-engine.ts';
import { loadHandlers, loadPublisher, loadSnapshotTaker } from './handler-registry.ts';
import { createGateway } from './http-gateway.ts';
import { type InstanceLock, lockDataDir } from './instance-lock.ts';
import { lambdaContext } from './lambda-context.ts';
import { verifyEngineFiles } from './leveldb-check.ts';
import { startLocalPush } from './local-push.ts';
import { publishMissedChanges } from './missed-change-events.ts';
import { startSnapshotTimer } from './snapshot-timer.ts';
import { stackLogger as logger } from './stack-logger.ts';
import { StreamDelivery, type StreamDeliveryOptions } from './stream-delivery.ts';

export interface LocalStack {
  readonly url: string;
  /** The push's HTTP publish endpoint; WebSockets subscribe at `/event/realtime` beside it. */
  readonly pushUrl: string;
  readonly engineEndpoint: string;
  /** Delivery of stream records to the projector; `idle()` once all read are delivered. */
  readonly delivery: Pick<StreamDelivery, 'idle'>;
  /** Where each change's event is appended, and the publisher's delivery; absent in memory. */
  readonly changeEvents?: {
    readonly file: string;
    readonly delivery: Pick<StreamDelivery, 'idle'>;
  };
  readonly reconciliation: CatchUpReport;
  stop(): Promise<void>;
}

/**
 * The whole service on one machine: the embedded engine with its tables, the events stream
 * delivered to the projector and to the publisher of change events, and the HTTP API in front of the same handlers Lambda runs.
 * One per process: handlers read their configuration once, when first loaded.
 */
export async function startLocalStack(config: LocalStackConfig): Promise<LocalStack> {
  let lock: InstanceLock | undefined;
  if (config.dataDir) {
    await assertWritable(config.dataDir);
    lock = await lockDataDir(config.dataDir);
    await verifyEngineFiles(engineDirectory(config.dataDir));
  }
  const push = await startLocalPush(config);
  const deliveries: StreamDelivery[] = [];
  const engine = config.dynamodbEndpoint
    ? externalEngine(config.dynamodbEndpoint)
    : await startEngineOn(config, (records) => {
        for (const delivery of deliveries) delivery.push(records);
      });
  configureHandlerEnvironment(config, engine.endpoint, push.url);
  const client = new DynamoDBClient({});
  await ensureTables(client, localTables(config));
  const handlers = await loadHandlers();
  // Each reader of the stream on its own, as each event source mapping is: a failing publisher
  // retries and dead-letters its batches without holding back the projector, and the reverse.
  const startReader = async (reader: StreamReader) => {
    if (!config.dynamodbEndpoint) {
      const delivery = new StreamDelivery(reader.delivery);
      deliveries.push(delivery);
      return delivery;
    }
    // --- DYNAMODB_ENDPOINT: fed from that engine's Streams API instead.
    return startStreamsFeed({
      endpoint: config.dynamodbEndpoint,
      client,
      tables: streamedTables(config),
      dataDir: config.dataDir,
      delivery: reader.delivery,
      pollIntervalMs: config.stream.pollIntervalMs,
      checkpointsFile: reader.checkpointsFile,
    });
  };
  const projection = await startReader({
    delivery: {
      consumer: async (event: DynamoDBStreamEvent) =>
        (await handlers.projector(
          event,
          lambdaContext('projector', randomUUID(), config.functionTimeoutMs),
          () => {},
        )) ?? undefined,
      ...config.stream,
      deadLetterFile: join(config.dataDir ?? '.', 'dead-letter.jsonl'),
    },
  });
  // The push always has somewhere to go here, so the publisher always runs.
  const sinks = changeSinksFromEnv();
  const publishing = await startReader(await publisherReader(config, sinks));
  // Commits whose stream records were still in flight at a crash are applied before serving.
  const stores = localStores(client, config);
  const reconciliation = await catchUp(stores);
  // Likewise the change events whose records were in flight: announced before serving.
  if (config.changeEventsFile) {
    await publishMissedChanges(stores, config.changeEventsFile, sinks).catch((error: unknown) => {
      // A sink that fails must not keep the service from starting, on AWS or here.
      logger.error('Change events missed at a crash could not be published', {
        error: error as Error,
      });
    });
  }
  const snapshots = startSnapshotTimer(await loadSnapshotTaker(), config.snapshotIntervalMs);
  const gateway = await listen(
    createGateway(handlers, { functionTimeoutMs: config.functionTimeoutMs }),
    config,
  );
  const url = `http://${config.host}:${(gateway.address() as AddressInfo).port}`;
  if (config.dataDir) await recordEndpoints(config.dataDir, url, engine.endpoint);
  return {
    url,
    pushUrl: push.url,
    engineEndpoint: engine.endpoint,
    delivery: projection,
    ...(config.changeEventsFile
      ? { changeEvents: { file: config.changeEventsFile, delivery: publishing } }
      : {}),
    reconciliation,
    stop: async () => {
      await snapshots.stop();
      await stopAll(gateway, [projection, publishing], engine);
      await push.close();
      await lock?.release();
    },
  };
}

async function startEngineOn(
  config: LocalStackConfig,
  onStreamRecords: Parameters<typeof startEngine>[0]['onStreamRecords'],
): Promise<Engine> {
  try {
    return await startEngine({
      path: config.dataDir ? engineDirectory(config.dataDir) : undefined,
      syncWrites: config.syncWrites,
      host: config.host,
      port: config.enginePort,
      streams: streamedTables(config),
      onStreamRecords,
    });
  } catch (error) {
    throw new ConfigurationError(
      `The embedded engine could not start on ${config.host}:${config.enginePort}: ${(error as Error).message}`,
    );
  }
}

/** Points the SDK and the handlers at the embedded engine, as a Lambda's configuration would. */
function configureHandlerEnvironment(
  config: LocalStackConfig,
  engineEndpoint: string,
  pushUrl: string,
): void {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: engineEndpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'local',
    // The engine accepts any credentials; these keep the SDK from searching for real ones.
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    ...config.tableNames,
    HEALTH_MAX_LAG_MS: String(config.healthMaxLagMs),
    PUSH_PUBLISH_URL: pushUrl,
    ...(config.changeEventsFile
      ? { CHANGE_EVENTS_FILE: config.changeEventsFile, CHANGE_EVENTS_SOURCE: 'config-ledger-local' }
      : {}),
    POWERTOOLS_SERVICE_NAME: 'config-ledger',
    // No X-Ray daemon here to send traces to: the Tracer stays out of the way.
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
}

async function listen(server: Server, config: LocalStackConfig): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigurationError(
              `Port ${config.port} on ${config.host} is already in use. Stop what runs there or set PORT to a free port.`,
            )
          : error,
      ),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  return server;
}

/** Another engine, already running: the local stack neither starts nor stops it. */
function externalEngine(endpoint: string): Engine {
  return { endpoint, close: async () => {} };
}

async function stopAll(
  gateway: Server,
  readers: readonly (Pick<StreamDelivery, 'idle'> & Partial<Pick<StreamsFeed, 'stop'>>)[],
  engine: Engine,
): Promise<void> {
  await new Promise<void>((resolve) => {
    gateway.close(() => resolve());
    gateway.closeAllConnections();
  });
  for (const reader of readers) await reader.idle();
  for (const reader of readers) await reader.stop?.();
  await engine.close();
}

/** One reader of the stream: its delivery (a mapping's settings) and its checkpoints. */
interface StreamReader {
  readonly delivery: StreamDeliveryOptions;
  /** With DYNAMODB_ENDPOINT: its own checkpoints file in DATA_DIR. @default the projector's */
  readonly checkpointsFile?: string;
}

/**
 * The publisher, announcing each change to the change-events file (the publisher's sinks come
 * from the variables configureHandlerEnvironment set), retried and dead-lettered like the
 * projector, into files of its own.
 */
async function publisherReader(
  config: LocalStackConfig,
  sinks: readonly ChangeSink[],
): Promise<StreamReader> {
  // This stack's own sinks, not those the handler module made from the environment when it was
  // first loaded: several stacks in one process (the tests) each push to their own server.
  const publish = await loadPublisher(sinks);
  return {
    delivery: {
      consumer: (event) =>
        publish(event, lambdaContext('publish-changes', randomUUID(), config.functionTimeoutMs)),
      ...config.stream,
      deadLetterFile: join(config.dataDir ?? '.', 'change-events-dead-letter.jsonl'),
    },
    checkpointsFile: 'stream-checkpoints-publisher.json',
  };
}
