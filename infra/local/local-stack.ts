import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { type CatchUpReport, catchUp } from '#app/projection.ts';
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
import { loadHandlers } from './handler-registry.ts';
import { createGateway } from './http-gateway.ts';
import { type InstanceLock, lockDataDir } from './instance-lock.ts';
import { lambdaContext } from './lambda-context.ts';
import { verifyEngineFiles } from './leveldb-check.ts';
import { pushConsumer, startLocalPush } from './local-push.ts';
import { StreamDelivery } from './stream-delivery.ts';

export interface LocalStack {
  readonly url: string;
  /** The push's HTTP publish endpoint; WebSockets subscribe at `/event/realtime` beside it. */
  readonly pushUrl: string;
  readonly engineEndpoint: string;
  /** Delivery of stream records to the projector; `idle()` once all read are delivered. */
  readonly delivery: Pick<StreamDelivery, 'idle'>;
  readonly reconciliation: CatchUpReport;
  stop(): Promise<void>;
}

/**
 * The whole service on one machine: the embedded engine with its tables, the events stream
 * delivered to the projector, and the HTTP API in front of the same handlers Lambda runs.
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
  let delivery: StreamDelivery | undefined;
  let pushDelivery: StreamDelivery | undefined;
  const engine = config.dynamodbEndpoint
    ? externalEngine(config.dynamodbEndpoint)
    : await startEngineOn(config, (records) => {
        delivery?.push(records);
        pushDelivery?.push(records);
      });
  configureHandlerEnvironment(config, engine.endpoint);
  const client = new DynamoDBClient({});
  await ensureTables(client, localTables(config));
  const handlers = await loadHandlers();
  const deliveryOptions = {
    consumer: async (event: DynamoDBStreamEvent) =>
      (await handlers.projector(
        event,
        lambdaContext('projector', randomUUID(), config.functionTimeoutMs),
        () => {},
      )) ?? undefined,
    ...config.stream,
    deadLetterFile: join(config.dataDir ?? '.', 'dead-letter.jsonl'),
  };
  delivery = new StreamDelivery(deliveryOptions);
  pushDelivery = new StreamDelivery({
    ...deliveryOptions,
    consumer: pushConsumer(push.url),
    deadLetterFile: join(config.dataDir ?? '.', 'push-dead-letter.jsonl'),
  });
  // --- DYNAMODB_ENDPOINT: the projector is fed from that engine's Streams API instead.
  const streamsFeed: StreamsFeed | undefined = config.dynamodbEndpoint
    ? await startStreamsFeed({
        endpoint: config.dynamodbEndpoint,
        client,
        tables: streamedTables(config),
        dataDir: config.dataDir,
        delivery: deliveryOptions,
        pollIntervalMs: config.stream.pollIntervalMs,
      })
    : undefined;
  // ---
  // Commits whose stream records were still in flight at a crash are applied before serving.
  const reconciliation = await catchUp(localStores(client, config));
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
    delivery: streamsFeed ?? delivery,
    reconciliation,
    stop: async () => {
      await stopAll(gateway, streamsFeed ?? delivery, engine);
      await pushDelivery?.idle();
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
function configureHandlerEnvironment(config: LocalStackConfig, engineEndpoint: string): void {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: engineEndpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'local',
    // The engine accepts any credentials; these keep the SDK from searching for real ones.
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    ...config.tableNames,
    HEALTH_MAX_LAG_MS: String(config.healthMaxLagMs),
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
  delivery: Pick<StreamDelivery, 'idle'> & Partial<Pick<StreamsFeed, 'stop'>>,
  engine: Engine,
): Promise<void> {
  await new Promise<void>((resolve) => {
    gateway.close(() => resolve());
    gateway.closeAllConnections();
  });
  await delivery.idle();
  await delivery.stop?.();
  await engine.close();
}
