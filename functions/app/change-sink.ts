import type { Commit } from '#domain/events.ts';

/**
 * Somewhere committed changes are announced: Amazon EventBridge for rules and pipelines, the
 * push API for watching clients. One publisher follows the log's stream and hands each sink the
 * commits of a batch in revision order. Delivery is at least once: a retried batch hands a sink
 * commits it has seen, so a sink must tolerate them and its readers tell repeats by revision.
 */
export interface ChangeSink {
  /** Names the sink in logs and metrics. */
  readonly name: string;
  publish(commits: readonly Commit[]): Promise<void>;
}
