import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { type ChangeEvent, changeEventOf } from '#app/change-events.ts';
import type { ChangeSink } from '#app/change-sink.ts';
import type { Commit } from '#domain/events.ts';
import { detailMaxBytesFor } from './event-bridge-sink.ts';

export interface JsonLinesSinkOptions {
  /** The file each event is appended to, one JSON document a line. */
  readonly file: string;
  /** Every event's `source`, as on EventBridge. */
  readonly source: string;
  readonly includeValues: boolean;
  /** The `region` and `account` of the envelope. @default 'local', '000000000000' */
  readonly region?: string;
  readonly account?: string;
}

/**
 * The local stack's stand-in for EventBridge: each change's event, as a rule's target would
 * receive it (the same envelope and detail), appended to a JSON Lines file a developer can
 * follow with `tail -f`. One append per batch, so a batch's events land together and in order;
 * a batch retried after a failure appends its events again, as EventBridge would deliver them.
 */
export class JsonLinesSink implements ChangeSink {
  readonly name = 'json-lines';

  constructor(private readonly options: JsonLinesSinkOptions) {}

  async publish(commits: readonly Commit[]): Promise<void> {
    const lines = commits.flatMap((commit) =>
      commit.events.map(
        (event) => `${this.envelopeOf(changeEventOf(event, this.eventOptions()))}\n`,
      ),
    );
    if (lines.length > 0) await appendFile(this.options.file, lines.join(''));
  }

  private eventOptions() {
    return {
      includeValue: this.options.includeValues,
      detailMaxBytes: detailMaxBytesFor(this.options.source),
    };
  }

  /** EventBridge's envelope; its `time` has whole seconds, like EventBridge's. */
  private envelopeOf(event: ChangeEvent): string {
    const envelope = JSON.stringify({
      version: '0',
      id: randomUUID(),
      'detail-type': event.detailType,
      source: this.options.source,
      account: this.options.account ?? '000000000000',
      time: `${event.time.slice(0, 19)}Z`,
      region: this.options.region ?? 'local',
      resources: [],
    });
    // The detail is spliced in as text, so a value keeps every digit it was written with.
    return `${envelope.slice(0, -1)},"detail":${event.detail}}`;
  }
}
