import { setTimeout as sleep } from 'node:timers/promises';
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { changeEventDetailTypes, changeEventOf } from '#app/change-events.ts';
import type { ChangeSink } from '#app/change-sink.ts';
import { inBatches } from '#domain/batches.ts';
import type { Commit } from '#domain/events.ts';

/** PutEvents takes at most 10 entries and 256 KB per call, and per entry. */
export const putEventsLimits = { maxEntries: 10, maxBytes: 256 * 1024 } as const;

/** EventBridge counts a `Time` as 14 bytes, whatever its text (its docs, "entry size"). */
const timeBytes = 14;

export interface EventBridgeSinkOptions {
  /** The bus's name or ARN ('default' for the account's default bus). */
  readonly busName: string;
  /** Every event's `source`: the service and its stage, e.g. `config-ledger-prod`. */
  readonly source: string;
  /** Values in the detail; off by default, values may be secrets. */
  readonly includeValues: boolean;
  /** Calls per chunk while some of its entries keep failing. @default 4 */
  readonly maxAttempts?: number;
  /** First pause before entries that failed are sent again; doubles each time. @default 100 */
  readonly retryDelayMs?: number;
}

/**
 * What is left of an entry's 256 KB for its detail, whatever the change: the source, the longest
 * detail type and the time take the rest.
 */
export function detailMaxBytesFor(source: string): number {
  const longestDetailType = Math.max(
    ...Object.values(changeEventDetailTypes).map((type) => Buffer.byteLength(type)),
  );
  return putEventsLimits.maxBytes - Buffer.byteLength(source) - longestDetailType - timeBytes;
}

/** Some events were refused by EventBridge on every attempt: the batch is retried as a whole. */
export class ChangeEventsNotPublishedError extends Error {
  override readonly name = 'ChangeEventsNotPublishedError';
}

/**
 * Amazon EventBridge: one event per change, in revision order, in calls of at most 10 entries and
 * 256 KB. Entries EventBridge refuses (FailedEntryCount: throttled, an internal failure) are sent
 * again on their own, with backoff; if some still fail, publishing throws and the stream batch is
 * retried, so a consumer may see an event twice and drops repeats by name and version. A call
 * that fails as a whole is retried by the SDK itself before that.
 */
export class EventBridgeSink implements ChangeSink {
  readonly name = 'eventbridge';
  private readonly detailMaxBytes: number;

  constructor(
    private readonly client: EventBridgeClient,
    private readonly options: EventBridgeSinkOptions,
  ) {
    this.detailMaxBytes = detailMaxBytesFor(options.source);
  }

  async publish(commits: readonly Commit[]): Promise<void> {
    const entries = commits.flatMap((commit) => commit.events.map((event) => this.entryOf(event)));
    for (const chunk of chunked(entries)) await this.put(chunk);
  }

  private entryOf(event: Commit['events'][number]): PutEventsRequestEntry {
    const change = changeEventOf(event, {
      includeValue: this.options.includeValues,
      detailMaxBytes: this.detailMaxBytes,
    });
    return {
      EventBusName: this.options.busName,
      Source: this.options.source,
      DetailType: change.detailType,
      Detail: change.detail,
      Time: new Date(change.time),
    };
  }

  private async put(chunk: readonly PutEventsRequestEntry[]): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      const response = await this.client.send(new PutEventsCommand({ Entries: [...pending] }));
      if (!response.FailedEntryCount) return;
      // Results come back in the order of the entries; a failed one carries an ErrorCode.
      const failed = pending.filter((_, index) => response.Entries?.[index]?.ErrorCode);
      pending = failed.length > 0 ? failed : pending;
      if (attempt >= maxAttempts) throw notPublished(response.Entries ?? [], pending.length);
      await sleep((this.options.retryDelayMs ?? 100) * 2 ** (attempt - 1));
    }
  }
}

function notPublished(
  results: readonly { ErrorCode?: string }[],
  count: number,
): ChangeEventsNotPublishedError {
  const codes = [...new Set(results.flatMap((result) => result.ErrorCode ?? []))];
  return new ChangeEventsNotPublishedError(
    `EventBridge refused ${count} change event(s) on every attempt (${codes.join(', ') || 'no error code'}).`,
  );
}

/** Consecutive entries in calls of at most 10 entries and 256 KB, keeping their order. */
export function chunked(entries: readonly PutEventsRequestEntry[]): PutEventsRequestEntry[][] {
  return inBatches(
    entries,
    { maxBytes: putEventsLimits.maxBytes, maxItems: putEventsLimits.maxEntries },
    entrySize,
  );
}

/** An entry's size as EventBridge counts it toward the 256 KB of a call. */
export function entrySize(entry: PutEventsRequestEntry): number {
  const text = [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])];
  const bytes = text.reduce((sum, part) => sum + Buffer.byteLength(part ?? ''), 0);
  return bytes + (entry.Time ? timeBytes : 0);
}
