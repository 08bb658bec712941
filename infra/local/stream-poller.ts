import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { logger } from '#shared/logger.ts';
import type { ShardCheckpoints } from './shard-checkpoints.ts';
import { StreamDelivery, type StreamDeliveryOptions } from './stream-delivery.ts';
import { toLambdaRecord } from './stream-records.ts';

export interface StreamPollerOptions {
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly checkpoints: ShardCheckpoints;
  /** Batching, retries and dead-lettering, as for the embedded engine's stream. */
  readonly delivery: StreamDeliveryOptions;
  /** Pause after an empty read of an open shard, and between looks for new shards. */
  readonly pollIntervalMs: number;
}

/**
 * What a Lambda event source mapping does with a DynamoDB stream, through the Streams API
 * (DescribeStream, GetShardIterator, GetRecords), so it works against any engine that has one,
 * DynamoDB itself included:
 * - each shard is read in order and delivered in batches, one batch at a time, with the
 *   retries and dead-lettering of StreamDelivery; shards are read side by side;
 * - a child shard is read only once its parent is read to the end (or gone: trimmed after
 *   24 hours), so the records of one item stay in order across shard splits;
 * - where each shard was left is checkpointed after each batch (in DATA_DIR): a restart goes on
 *   after the last delivered record; a shard never read starts at TRIM_HORIZON.
 */
export class StreamPoller {
  private readonly reading = new Map<string, Promise<void>>();
  private readonly deliveries = new Set<StreamDelivery>();
  private stopped = false;
  private discovering: Promise<void> | undefined;

  constructor(private readonly options: StreamPollerOptions) {}

  start(): void {
    this.discovering ??= this.discover();
  }

  /** Resolves once every record read so far has been delivered or dead-lettered. */
  async idle(): Promise<void> {
    await Promise.all([...this.deliveries].map((delivery) => delivery.idle()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.discovering;
    await Promise.all(this.reading.values());
  }

  private async discover(): Promise<void> {
    while (!this.stopped) {
      try {
        const shards = await this.shards();
        for (const shard of shards) this.readWhenReady(shard, shards);
      } catch (error) {
        logger.warn('Stream shards could not be listed', { error: error as Error });
      }
      await this.pause();
    }
  }

  private readWhenReady(shard: Shard, shards: readonly Shard[]): void {
    const shardId = shard.ShardId ?? '';
    if (this.reading.has(shardId) || this.checkpoint(shardId).ended) return;
    const parent = shard.ParentShardId;
    const parentPending =
      parent && shards.some((other) => other.ShardId === parent) && !this.checkpoint(parent).ended;
    if (parentPending) return;
    this.reading.set(
      shardId,
      this.read(shardId).catch((error: unknown) => {
        // Read again from the checkpoint at the next look for shards.
        logger.error('Stream shard reading failed', { shardId, error: error as Error });
        this.reading.delete(shardId);
      }),
    );
  }

  private async shards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription: description } = await this.options.client.send(
        new DescribeStreamCommand({
          StreamArn: this.options.streamArn,
          ExclusiveStartShardId: exclusiveStartShardId,
        }),
      );
      shards.push(...(description?.Shards ?? []));
      exclusiveStartShardId = description?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  private async read(shardId: string): Promise<void> {
    const delivery = new StreamDelivery(this.options.delivery);
    this.deliveries.add(delivery);
    let iterator: string | undefined = await this.iterator(shardId);
    while (iterator && !this.stopped) {
      const page = await this.records(shardId, iterator);
      if (!page) {
        iterator = await this.iterator(shardId);
        continue;
      }
      const records = page.records.map((record) => toLambdaRecord(record, this.options.streamArn));
      const last = records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) {
        delivery.push(records);
        await delivery.idle();
        await this.options.checkpoints.save(this.options.streamArn, shardId, {
          sequenceNumber: last,
        });
      }
      iterator = page.next;
      if (!iterator) {
        await this.options.checkpoints.save(this.options.streamArn, shardId, {
          ...this.checkpoint(shardId),
          ended: true,
        });
      } else if (records.length === 0) {
        await this.pause();
      }
    }
  }

  /** A page of records, or undefined when the iterator must be asked for again. */
  private async records(shardId: string, iterator: string) {
    try {
      const page = await this.options.client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.delivery.batchSize }),
      );
      return { records: page.Records ?? [], next: page.NextShardIterator };
    } catch (error) {
      // Iterators expire after 15 minutes; a new one starts where the checkpoint says.
      if (error instanceof ExpiredIteratorException) return undefined;
      if (error instanceof TrimmedDataAccessException) {
        logger.error('Stream records were trimmed before they were delivered', { shardId });
        await this.options.checkpoints.save(this.options.streamArn, shardId, {});
        return undefined;
      }
      throw error;
    }
  }

  private async iterator(shardId: string): Promise<string | undefined> {
    const { sequenceNumber } = this.checkpoint(shardId);
    const { ShardIterator } = await this.options.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.options.streamArn,
        ShardId: shardId,
        ...(sequenceNumber
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: sequenceNumber }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  private checkpoint(shardId: string) {
    return this.options.checkpoints.of(this.options.streamArn, shardId);
  }

  private pause(): Promise<void> {
    return sleep(this.options.pollIntervalMs);
  }
}
