import { join } from 'node:path';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandInput,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
} from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ShardCheckpoints } from '#local/shard-checkpoints.ts';
import { StreamPoller } from '#local/stream-poller.ts';
import { scratchDir } from '#test/scratch.ts';

const streamArn = 'arn:aws:dynamodb:local:000000000000:table/t/stream/1';

/** A stream of shards in memory, served through the Streams API's three calls. */
class FakeStream {
  readonly shards = new Map<string, { parent?: string; records: _Record[]; closed: boolean }>();

  shard(id: string, sequences: number[], options: { parent?: string; closed?: boolean } = {}) {
    this.shards.set(id, {
      parent: options.parent,
      closed: options.closed ?? false,
      records: sequences.map((sequence) => ({
        eventName: 'INSERT',
        dynamodb: {
          SequenceNumber: String(sequence).padStart(6, '0'),
          Keys: { pk: { S: `item-${sequence}` } },
          ApproximateCreationDateTime: new Date(),
        },
      })),
    });
  }

  iterator({ ShardId = '', ShardIteratorType, SequenceNumber }: GetShardIteratorCommandInput) {
    const records = this.shards.get(ShardId)?.records ?? [];
    const position =
      ShardIteratorType === 'AFTER_SEQUENCE_NUMBER'
        ? records.findIndex((record) => record.dynamodb?.SequenceNumber === SequenceNumber) + 1
        : 0;
    return { ShardIterator: `${ShardId}@${position}` };
  }

  records({ ShardIterator = '', Limit = 100 }: GetRecordsCommandInput) {
    const [shardId = '', at = '0'] = ShardIterator.split('@');
    const shard = this.shards.get(shardId);
    const position = Number(at);
    const records = shard?.records.slice(position, position + Limit) ?? [];
    const next = position + records.length;
    const ended = shard?.closed && next >= shard.records.length;
    return { Records: records, NextShardIterator: ended ? undefined : `${shardId}@${next}` };
  }
}

const streams = mockClient(DynamoDBStreamsClient);
afterEach(() => streams.reset());

function serve(stream: FakeStream) {
  streams.on(DescribeStreamCommand).callsFake(() => ({
    StreamDescription: {
      Shards: [...stream.shards].map(([ShardId, { parent }]) => ({
        ShardId,
        ParentShardId: parent,
      })),
    },
  }));
  streams.on(GetShardIteratorCommand).callsFake((input) => stream.iterator(input));
  streams.on(GetRecordsCommand).callsFake((input) => stream.records(input));
}

async function pollUntil(dataDir: string, delivered: number[], count: number) {
  const poller = new StreamPoller({
    client: new DynamoDBStreamsClient({ region: 'local' }),
    streamArn,
    checkpoints: await ShardCheckpoints.open(dataDir),
    delivery: {
      consumer: async (event) => {
        delivered.push(...event.Records.map((record) => Number(record.dynamodb?.SequenceNumber)));
        return { batchItemFailures: [] };
      },
      batchSize: 2,
      maxRetries: 0,
      retryDelayMs: 1,
      deadLetterFile: join(dataDir, 'dead-letter.jsonl'),
    },
    pollIntervalMs: 5,
  });
  poller.start();
  const giveUpAt = Date.now() + 5_000;
  while (delivered.length < count && Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await poller.stop();
}

describe('Class: StreamPoller', () => {
  it('reads a parent shard to its end before its child, in order, in batches', async () => {
    const stream = new FakeStream();
    // Listed child first: lineage, not listing order, decides.
    stream.shard('child', [4, 5], { parent: 'parent' });
    stream.shard('parent', [1, 2, 3], { closed: true });
    serve(stream);
    const delivered: number[] = [];

    await pollUntil(await scratchDir('poller'), delivered, 5);

    expect(delivered).toEqual([1, 2, 3, 4, 5]);
  });

  it('goes on after the last delivered record when restarted on the same DATA_DIR', async () => {
    const dataDir = await scratchDir('poller-restart');
    const stream = new FakeStream();
    stream.shard('parent', [1, 2, 3], { closed: true });
    stream.shard('child', [4, 5], { parent: 'parent' });
    serve(stream);
    await pollUntil(dataDir, [], 5);

    stream.shards.get('child')?.records.push(...[6, 7].map((n) => recordOf(n)));
    const afterRestart: number[] = [];
    await pollUntil(dataDir, afterRestart, 2);

    expect(afterRestart).toEqual([6, 7]);
    const checkpoints = await ShardCheckpoints.open(dataDir);
    expect(checkpoints.of(streamArn, 'parent')).toMatchObject({ ended: true });
    expect(checkpoints.of(streamArn, 'child')).toEqual({ sequenceNumber: '000007' });
  });
});

function recordOf(sequence: number): _Record {
  return {
    eventName: 'INSERT',
    dynamodb: { SequenceNumber: String(sequence).padStart(6, '0'), Keys: {} },
  };
}
