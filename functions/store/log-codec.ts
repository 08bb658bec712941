import { type Commit, type ConfigEvent, storedCommitSchema } from '#domain/events.ts';
import '#shared/zod-english.ts';

/** A log item: the commit's own fields once, then its changes without them. */
export type LogItem = Record<string, unknown>;

/** The log's partition of commits; see logTable in tables.ts. */
export const logPartition = 'all';

export function toLogItem(commit: Commit): LogItem {
  return {
    log: logPartition,
    revision: commit.revision,
    occurredAt: commit.occurredAt,
    actor: commit.actor,
    commitId: commit.commitId,
    changes: commit.events.map(storedChange),
  };
}

function storedChange(event: ConfigEvent): Record<string, unknown> {
  const { revision: _revision, occurredAt: _at, actor: _actor, ...change } = event;
  return change;
}

/** Read back or received from a stream and not a commit: never guessed at, always refused. */
export class CorruptCommitError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CorruptCommitError';
  }
}

export function fromLogItem(item: LogItem): Commit {
  const parsed = storedCommitSchema.safeParse(item);
  if (!parsed.success) {
    throw new CorruptCommitError(
      `Log item at revision ${String(item.revision)} is malformed: ${parsed.error.message}`,
      { cause: parsed.error },
    );
  }
  const { revision, occurredAt, actor, commitId, changes } = parsed.data;
  return {
    revision,
    occurredAt,
    actor,
    commitId,
    events: changes.map((change) => ({ ...change, revision, occurredAt, actor }) as ConfigEvent),
  };
}
