import { appendFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '#shared/logger.ts';

export type StreamConsumer = (
  event: DynamoDBStreamEvent,
) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamDeliveryOptions {
  readonly consumer: StreamConsumer;
  /** Records per invocation (the event source mapping's BatchSize). */
  readonly batchSize: number;
  /** Retries of a failing batch before its failed records are dead-lettered. */
  readonly maxRetries: number;
  /** First retry delay; doubles on each retry. */
  readonly retryDelayMs: number;
  /** JSON-lines file that receives records that kept failing. */
  readonly deadLetterFile: string;
}

/**
 * Delivers stream records to the projector the way a Lambda event source mapping does for one
 * shard: in order, in batches, one batch at a time. With ReportBatchItemFailures, a batch is
 * retried from its first failed record (a thrown error fails the whole batch); after the last
 * retry the records still failing go to the dead-letter file and delivery moves on.
 */
export class StreamDelivery {
  private readonly queue: DynamoDBRecord[] = [];
  private draining: Promise<void> | undefined;
  private delivered = 0;
  private deadLettered = 0;

  constructor(private readonly options: StreamDeliveryOptions) {}

  push(records: readonly DynamoDBRecord[]): void {
    this.queue.push(...records);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  /** Resolves once every record pushed so far has been delivered or dead-lettered. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  stats() {
    return {
      pending: this.queue.length,
      delivered: this.delivered,
      deadLettered: this.deadLettered,
    };
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.batchSize);
      await this.deliver(batch);
      this.delivered += batch.length;
    }
  }

  private async deliver(batch: DynamoDBRecord[]): Promise<void> {
    let pending = batch;
    for (let retry = 0; ; retry++) {
      const failed = await this.invoke(pending);
      if (failed.size === 0) return;
      // Unknown identifiers (or a thrown error) count as a whole-batch failure, as in Lambda.
      const firstFailed = pending.findIndex((record) => failed.has(sequenceOf(record)));
      const wholeBatch = firstFailed === -1;
      if (!wholeBatch) pending = pending.slice(firstFailed);
      if (retry >= this.options.maxRetries) {
        const stillFailing = pending.filter(
          (record) => wholeBatch || failed.has(sequenceOf(record)),
        );
        await this.deadLetter(stillFailing, retry + 1);
        return;
      }
      await sleep(this.options.retryDelayMs * 2 ** retry);
    }
  }

  /** Sequence numbers of the records that failed; '*' when the whole batch did. */
  private async invoke(records: DynamoDBRecord[]): Promise<Set<string>> {
    try {
      const response = await this.options.consumer({ Records: records });
      return new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      logger.warn('Stream batch failed as a whole', {
        records: records.length,
        error: error as Error,
      });
      return new Set(['*']);
    }
  }

  private async deadLetter(records: DynamoDBRecord[], attempts: number): Promise<void> {
    this.deadLettered += records.length;
    const deadLetteredAt = new Date().toISOString();
    const lines = records.map(
      (record) => `${JSON.stringify({ deadLetteredAt, attempts, record })}\n`,
    );
    const written = await appendFile(this.options.deadLetterFile, lines.join('')).then(
      () => true,
      (error: unknown) => {
        // A full disk must not end the process: the start-up replay projects these events.
        logger.error('Stream records could not be dead-lettered; the next start replays them', {
          count: records.length,
          error: error as Error,
        });
        return false;
      },
    );
    if (!written) return;
    logger.error('Stream records dead-lettered', {
      count: records.length,
      attempts,
      sequenceNumbers: records.map(sequenceOf),
      deadLetterFile: this.options.deadLetterFile,
    });
  }
}

function sequenceOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber ?? '';
}
