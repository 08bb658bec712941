import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ConfigurationError } from './config.ts';
import { ShardCheckpoints } from './shard-checkpoints.ts';
import type { CapturedTable } from './stream-capture.ts';
import type { StreamDeliveryOptions } from './stream-delivery.ts';
import { StreamPoller } from './stream-poller.ts';

export interface StreamsFeedOptions {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tables: readonly CapturedTable[];
  readonly dataDir: string | undefined;
  readonly delivery: StreamDeliveryOptions;
  readonly pollIntervalMs: number;
  /** Where this reader's shard checkpoints are kept in DATA_DIR. @default checkpointsFile */
  readonly checkpointsFile?: string;
}

export interface StreamsFeed {
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * With DYNAMODB_ENDPOINT: each streamed table's stream, read through that engine's Streams API
 * (the same endpoint) and delivered to the projector as an event source mapping would.
 */
export async function startStreamsFeed(options: StreamsFeedOptions): Promise<StreamsFeed> {
  const client = new DynamoDBStreamsClient({ endpoint: options.endpoint });
  const checkpoints = await ShardCheckpoints.open(options.dataDir, options.checkpointsFile);
  const pollers = await Promise.all(
    options.tables.map(async ({ tableName }) => {
      const poller = new StreamPoller({
        client,
        streamArn: await streamArnOf(options.client, tableName),
        checkpoints,
        delivery: options.delivery,
        pollIntervalMs: options.pollIntervalMs,
      });
      poller.start();
      return poller;
    }),
  );
  return {
    idle: async () => {
      await Promise.all(pollers.map((poller) => poller.idle()));
    },
    stop: async () => {
      await Promise.all(pollers.map((poller) => poller.stop()));
      client.destroy();
    },
  };
}

async function streamArnOf(client: DynamoDBClient, tableName: string): Promise<string> {
  const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!table?.StreamSpecification?.StreamEnabled || !table.LatestStreamArn) {
    throw new ConfigurationError(
      `Table ${tableName} on DYNAMODB_ENDPOINT has no stream. Delete it (the local stack creates it with one) or enable its stream.`,
    );
  }
  return table.LatestStreamArn;
}
