import type { Commit } from '#domain/events.ts';
import { isSchemaEntryName } from '#domain/schema-target.ts';
import type { ChangeSink } from './change-sink.ts';

/** One record of a stream batch: how to name it in a retry, and how to read its commit. */
export interface StreamedRecord {
  readonly id: string;
  /** The commit the record carries, none for a record that is no commit; throws when corrupt. */
  readonly commit: () => Commit | undefined;
}

export interface PublishOutcome {
  readonly commitsPublished: number;
  /** The first record that was not published: the batch is retried from it. */
  readonly failedFrom?: { readonly id: string; readonly error: unknown };
}

/**
 * Hands the commits of a stream batch to every sink, in the batch's (revision) order. Stops at
 * the first record that cannot be read, publishing only what comes before it, so nothing later
 * is announced ahead of it. A sink that fails fails the whole batch: it is retried from its
 * first commit, and sinks that succeeded see those commits again (delivery is at least once).
 */
export async function publishBatch(
  sinks: readonly ChangeSink[],
  records: readonly StreamedRecord[],
): Promise<PublishOutcome> {
  const { commits: read, firstCommitId, unreadable } = readUntilUnreadable(records);
  const commits = read.flatMap(entriesOnly);
  if (commits.length > 0 && firstCommitId !== undefined) {
    try {
      await publishToAll(sinks, commits);
    } catch (error) {
      return { commitsPublished: 0, failedFrom: { id: firstCommitId, error } };
    }
  }
  return { commitsPublished: commits.length, ...(unreadable ? { failedFrom: unreadable } : {}) };
}

/**
 * A commit's changes to configuration entries: schema changes (commits of reserved names) are not
 * announced, as the change feed does not show them; a commit of schema changes alone, none.
 */
function entriesOnly(commit: Commit): Commit[] {
  const events = commit.events.filter((event) => !isSchemaEntryName(event.name));
  if (events.length === commit.events.length) return [commit];
  return events.length === 0 ? [] : [{ ...commit, events }];
}

function readUntilUnreadable(records: readonly StreamedRecord[]) {
  const commits: Commit[] = [];
  let firstCommitId: string | undefined;
  for (const record of records) {
    let commit: Commit | undefined;
    try {
      commit = record.commit();
    } catch (error) {
      return { commits, firstCommitId, unreadable: { id: record.id, error } };
    }
    if (!commit) continue;
    firstCommitId ??= record.id;
    commits.push(commit);
  }
  return { commits, firstCommitId, unreadable: undefined };
}

/** A sink that failed, by name; the others' outcome does not change it. */
export class SinkFailedError extends Error {
  override readonly name = 'SinkFailedError';
  constructor(
    readonly sinkNames: readonly string[],
    options: ErrorOptions,
  ) {
    super(`Change sinks failed: ${sinkNames.join(', ')}.`, options);
  }
}

/** Every sink gets the commits, side by side: one sink's failure does not hold back another's. */
async function publishToAll(sinks: readonly ChangeSink[], commits: readonly Commit[]) {
  const outcomes = await Promise.allSettled(sinks.map((sink) => sink.publish(commits)));
  const failed = outcomes.flatMap((outcome, index) =>
    outcome.status === 'rejected'
      ? [{ sink: sinks[index]?.name ?? '', reason: outcome.reason }]
      : [],
  );
  if (failed.length === 0) return;
  throw new SinkFailedError(
    failed.map((failure) => failure.sink),
    {
      cause:
        failed.length === 1 ? failed[0]?.reason : new AggregateError(failed.map((f) => f.reason)),
    },
  );
}
