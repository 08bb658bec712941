import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { inject } from 'vitest';
import { startEngine } from '#local/engine.ts';
import { toLambdaRecord } from '#local/stream-records.ts';
import { scratchDefinition, scratchTable } from './engine-tables.ts';

/** A table with a stream, and the records its stream got since the last look. */
export interface StreamProbe {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  newRecords(): Promise<DynamoDBRecord[]>;
  close(): Promise<void>;
}

const probeDefinition = scratchDefinition('Probe', true);

/**
 * On the embedded engine, stream capture's records; on DYNAMODB_ENDPOINT (Amazon DynamoDB
 * Local under `npm run test:engine`), the records of that engine's own DynamoDB Streams, read
 * through the Streams API. One spec, both engines: capture must do what Streams do.
 */
export async function streamProbe(viewType: StreamViewType): Promise<StreamProbe> {
  return process.env.DYNAMODB_ENDPOINT ? streamsApiProbe(viewType) : captureProbe(viewType);
}

async function captureProbe(viewType: StreamViewType): Promise<StreamProbe> {
  let captured: DynamoDBRecord[] = [];
  const tableName = 'stream-probe';
  const engine = await startEngine({
    host: '127.0.0.1',
    port: 0,
    streams: [{ tableName, definition: probeDefinition, viewType }],
    onStreamRecords: (records) => captured.push(...records),
  });
  const client = new DynamoDBClient({ endpoint: engine.endpoint });
  await scratchTable(tableName, { exactName: true, client, stream: viewType });
  return {
    client,
    tableName,
    newRecords: async () => {
      const records = captured;
      captured = [];
      return records;
    },
    close: async () => {
      client.destroy();
      await engine.close();
    },
  };
}

async function streamsApiProbe(viewType: StreamViewType): Promise<StreamProbe> {
  const endpoint = inject('engineEndpoint');
  const client = new DynamoDBClient({});
  const streams = new DynamoDBStreamsClient({ endpoint });
  const tableName = await scratchTable('stream-probe', { stream: viewType });
  const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = table?.LatestStreamArn ?? '';
  const { StreamDescription: stream } = await streams.send(
    new DescribeStreamCommand({ StreamArn: streamArn }),
  );
  const shardId = stream?.Shards?.[0]?.ShardId ?? '';
  let iterator = (
    await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    )
  ).ShardIterator;
  return {
    client,
    tableName,
    newRecords: async () => {
      const records: DynamoDBRecord[] = [];
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        iterator = page.NextShardIterator;
        records.push(...(page.Records ?? []).map((record) => toLambdaRecord(record, streamArn)));
        if (!page.Records?.length) break;
      }
      return records;
    },
    close: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      streams.destroy();
    },
  };
}
