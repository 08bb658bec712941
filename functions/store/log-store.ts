import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { CommitTooLargeError } from '#domain/errors.ts';
import type { Commit, Revision } from '#domain/events.ts';
import type { Instant } from '#domain/instant.ts';
import { awsLimits } from '#shared/aws-limits.ts';
import { itemBytes } from './item-size.ts';
import { fromLogItem, type LogItem, logPartition, toLogItem } from './log-codec.ts';

export interface LogReadBounds {
  /** Commits at most. */
  readonly maxCommits: number;
  /** Events at most; a commit is never split, but the first one is always returned whole. */
  readonly maxEvents?: number;
  /** Approximate bytes of values at most (response budgets); the first commit always fits. */
  readonly maxBytes?: number;
  /** The last revision to read. @default - up to the newest */
  readonly through?: Revision;
  /**
   * Read eventually consistent, for half the read units. A replica may not have the newest
   * commits yet, and nothing promises which ones it lacks; since the log has no gaps, the read
   * keeps only the unbroken run of revisions after `after`, so it comes back shorter, never with
   * a commit missing. For followers that come back for the rest (the feed), never for a read
   * that must reach the newest revision. @default false
   */
  readonly eventual?: boolean;
}

export interface LogRead {
  readonly commits: Commit[];
  /** True when nothing followed the last commit read (up to `through`) when it was read. */
  readonly reachedEnd: boolean;
  /** True when the read stopped at its bounds of events or bytes, not at the end or a gap. */
  readonly full?: boolean;
  /** What the commits read weigh, as `maxBytes` counts them (approximateBytes). */
  readonly bytes: number;
}

/** The key of every query on the log: its one partition. */
const partitionCondition = '#log = :log';
const partitionNames = { '#log': 'log', '#revision': 'revision' };

/**
 * The log of commits. Appends are conditional puts at the next revision, so the log is always
 * 1, 2, …, n without gaps: a revision can only be written while the one before it exists.
 */
export class LogStore {
  /** Revision → instant of commits already looked at: log items never change. */
  private readonly instants = new Map<Revision, Instant>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /**
   * Writes the commit at its revision unless that revision is taken. Returns false when another
   * commit got there first (or when an earlier attempt of this very call did: the caller tells
   * them apart by commitId).
   */
  async append(commit: Commit): Promise<boolean> {
    const item = this.itemFitting(commit);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#revision)',
          ExpressionAttributeNames: { '#revision': 'revision' },
        }),
      );
      this.instants.set(commit.revision, commit.occurredAt);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Refuses, before anything is written, a commit that DynamoDB would refuse: a commit is one
   * item, so its changes together must fit in one.
   */
  assertFits(commit: Commit): void {
    this.itemFitting(commit);
  }

  private itemFitting(commit: Commit): LogItem {
    const item = toLogItem(commit);
    const bytes = itemBytes(item);
    if (bytes > awsLimits.dynamoItemMaxBytes) {
      throw new CommitTooLargeError(
        `These changes make a commit of ${bytes} bytes; one commit, which is written all at once, holds at most ${awsLimits.dynamoItemMaxBytes} bytes (DynamoDB's item limit). Split them.`,
        { details: { sizeBytes: bytes, limitBytes: awsLimits.dynamoItemMaxBytes } },
      );
    }
    return item;
  }

  /** The newest commit, or undefined while the log is empty. Strongly consistent. */
  async newest(): Promise<Commit | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: partitionCondition,
        ExpressionAttributeNames: { '#log': 'log' },
        ExpressionAttributeValues: { ':log': logPartition },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    return item ? this.remembered(fromLogItem(item)) : undefined;
  }

  /** The newest revision (0 for an empty log), without reading the commit's content. */
  async newestRevision(): Promise<Revision> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: partitionCondition,
        ExpressionAttributeNames: { '#log': 'log', '#revision': 'revision' },
        ExpressionAttributeValues: { ':log': logPartition },
        ProjectionExpression: '#revision',
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return Number(result.Items?.[0]?.revision ?? 0);
  }

  /**
   * One commit. A commit is immutable once written, so an eventually consistent read that finds
   * it is as good as a strong one; only a miss is asked again, strongly.
   */
  async get(revision: Revision): Promise<Commit | undefined> {
    const item =
      (await this.getItem(revision, false)) ?? (await this.getItem(revision, true)) ?? undefined;
    return item ? this.remembered(fromLogItem(item)) : undefined;
  }

  private async getItem(revision: Revision, consistent: boolean): Promise<LogItem | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { log: logPartition, revision },
        ConsistentRead: consistent,
      }),
    );
    return result.Item;
  }

  /**
   * The commits after a revision, in order, within the bounds: page after page until they are
   * met, since one request stops at DynamoDB's 1 MB. Strongly consistent unless asked otherwise.
   */
  async readAfter(after: Revision, bounds: LogReadBounds): Promise<LogRead> {
    // DynamoDB refuses a BETWEEN whose bounds are reversed; the range is empty anyway.
    if (bounds.through !== undefined && bounds.through <= after) {
      return { commits: [], reachedEnd: true, bytes: 0 };
    }
    const commits: Commit[] = [];
    const totals = { events: 0, bytes: 0 };
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.queryAfter(after, bounds, commits.length, startKey);
      const stop = takeInOrder(page.commits, { after, bounds, totals }, commits);
      if (stop) {
        return {
          commits,
          reachedEnd: false,
          bytes: totals.bytes,
          ...(stop === 'full' ? { full: true } : {}),
        };
      }
      if (commits.length >= bounds.maxCommits) {
        return { commits, reachedEnd: page.startKey === undefined, bytes: totals.bytes };
      }
      startKey = page.startKey;
    } while (startKey);
    return { commits, reachedEnd: true, bytes: totals.bytes };
  }

  /**
   * The log's items after a revision as they stand, up to `maxItems`, for verify: unlike
   * readAfter it reads past a gap in the revisions, and hands back an item that is not a commit
   * as such instead of throwing, since both are what verify reports.
   */
  async scanAfter(after: Revision, maxItems: number): Promise<ScannedLog> {
    const items: ScannedItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: `${partitionCondition} AND #revision > :after`,
          ExpressionAttributeNames: partitionNames,
          ExpressionAttributeValues: { ':log': logPartition, ':after': after },
          ExclusiveStartKey: startKey,
          Limit: maxItems - items.length,
          ConsistentRead: true,
        }),
      );
      items.push(...(result.Items ?? []).map(scanned));
      startKey = result.LastEvaluatedKey;
    } while (startKey && items.length < maxItems);
    return { items, more: startKey !== undefined };
  }

  private async queryAfter(
    after: Revision,
    bounds: LogReadBounds,
    alreadyRead: number,
    startKey: Record<string, unknown> | undefined,
  ) {
    const through = bounds.through;
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression:
          through === undefined
            ? `${partitionCondition} AND #revision > :after`
            : `${partitionCondition} AND #revision BETWEEN :first AND :through`,
        ExpressionAttributeNames: partitionNames,
        ExpressionAttributeValues: {
          ':log': logPartition,
          ...(through === undefined
            ? { ':after': after }
            : { ':first': after + 1, ':through': through }),
        },
        ExclusiveStartKey: startKey,
        Limit: bounds.maxCommits - alreadyRead,
        ConsistentRead: bounds.eventual !== true,
      }),
    );
    return {
      commits: (result.Items ?? []).map((item) => this.remembered(fromLogItem(item))),
      startKey: result.LastEvaluatedKey,
    };
  }

  /**
   * The newest revision whose commit occurred at or before an instant (0 when none did): a binary
   * search over the log, which instants never decrease along. Each probe is one read; the
   * instants already seen are remembered, so repeated searches get cheaper.
   */
  async revisionAt(instant: Instant, newest: Commit | undefined): Promise<Revision> {
    return this.lastRevisionWhere((at) => at <= instant, newest);
  }

  /** The newest revision whose commit occurred strictly before an instant (0 when none did). */
  async revisionBefore(instant: Instant, newest: Commit | undefined): Promise<Revision> {
    return this.lastRevisionWhere((at) => at < instant, newest);
  }

  private async lastRevisionWhere(
    holds: (occurredAt: Instant) => boolean,
    newest: Commit | undefined,
  ): Promise<Revision> {
    if (!newest) return 0;
    if (holds(newest.occurredAt)) return newest.revision;
    let low = 0;
    let high = newest.revision;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (holds(await this.instantOf(middle))) low = middle;
      else high = middle;
    }
    return low;
  }

  private async instantOf(revision: Revision): Promise<Instant> {
    const known = this.instants.get(revision);
    if (known !== undefined) return known;
    const commit = await this.get(revision);
    if (!commit) throw new Error(`The log has a gap at revision ${revision}.`);
    return commit.occurredAt;
  }

  private remembered(commit: Commit): Commit {
    if (this.instants.size >= maxRememberedInstants) this.instants.clear();
    this.instants.set(commit.revision, commit.occurredAt);
    return commit;
  }
}

/** A log item read by scanAfter: its commit, or why it is not one. */
export type ScannedItem =
  | { readonly revision: Revision; readonly commit: Commit }
  | { readonly revision: Revision; readonly corrupt: string };

export interface ScannedLog {
  readonly items: ScannedItem[];
  /** True when more items may follow. */
  readonly more: boolean;
}

function scanned(item: LogItem): ScannedItem {
  const revision = Number(item.revision);
  try {
    return { revision, commit: fromLogItem(item) };
  } catch (error) {
    return { revision, corrupt: (error as Error).message };
  }
}

/** Enough for every probe of many searches, small enough not to matter in a function's memory. */
const maxRememberedInstants = 100_000;

/**
 * Appends the page's commits to those taken while they follow on without a gap and within the
 * bounds; says why it stopped, if it did.
 */
function takeInOrder(
  page: readonly Commit[],
  read: { after: Revision; bounds: LogReadBounds; totals: { events: number; bytes: number } },
  taken: Commit[],
): 'gap' | 'full' | undefined {
  for (const commit of page) {
    if (commit.revision !== read.after + taken.length + 1) return 'gap';
    if (!admits(read.bounds, read.totals, commit, taken.length)) return 'full';
    taken.push(commit);
  }
  return undefined;
}

function admits(
  bounds: LogReadBounds,
  totals: { events: number; bytes: number },
  commit: Commit,
  alreadyTaken: number,
): boolean {
  const events = totals.events + commit.events.length;
  const bytes = totals.bytes + approximateBytes(commit);
  const first = alreadyTaken === 0;
  if (!first && bounds.maxEvents !== undefined && events > bounds.maxEvents) return false;
  if (!first && bounds.maxBytes !== undefined && bytes > bounds.maxBytes) return false;
  totals.events = events;
  totals.bytes = bytes;
  return true;
}

/** What a commit weighs in a response: its values and a generous allowance per event. */
function approximateBytes(commit: Commit): number {
  let bytes = 0;
  for (const event of commit.events) {
    bytes += 300 + event.name.length + (event.comment?.length ?? 0);
    if (event.type === 'ConfigValueSet') bytes += Buffer.byteLength(event.value, 'utf8');
  }
  return bytes;
}
