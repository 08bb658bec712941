import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { inBatches } from '#domain/batches.ts';
import type { LiveEntry } from '#domain/entry.ts';
import type { Revision } from '#domain/events.ts';
import { trustedJsonText } from '#domain/json.ts';
import { snapshotEntryBytes } from '#domain/snapshot.ts';
import { declared } from '#shared/declared.ts';
import '#shared/zod-english.ts';
import { CorruptCommitError } from './log-codec.ts';

/** What is known of a snapshot before its parts are read. */
export interface SnapshotManifest {
  readonly revision: Revision;
  readonly entryCount: number;
  /** What its entries weigh (snapshotEntryBytes): how much log after it is worth folding. */
  readonly bytes: number;
  /** The first name of each part, in order: part i holds the names from its own to the next's. */
  readonly firstNames: readonly string[];
}

/** Which parts to read, by number, both included. */
export interface PartRange {
  readonly first: number;
  readonly last: number;
}

/**
 * Bytes of entries (as JSON, before compression) in one part: a part is one item, and an item
 * holds at most 400 KB. A value has at most 256 KiB, so every entry fits a part of its own.
 */
const defaultPartMaxBytes = 300 * 1024;
/**
 * Parts of one snapshot at most: the manifest lists each part's first name (up to 256
 * characters) in one item of 400 KB. That is about 300 MB of configuration.
 */
export const snapshotMaxParts = 1000;

const manifests = 'manifests';
const partsOfRevision = (revision: Revision) => `parts/${revision}`;

// Read only by the functions that read snapshots: declared, so that the others never build them.
const count = () => z.number().check(z.int(), z.nonnegative());
const nonEmptyText = () => z.string().check(z.minLength(1));

const manifestSchema = /* @__PURE__ */ declared(() =>
  z.object({
    position: count(),
    entryCount: count(),
    bytes: count(),
    firstNames: z.array(nonEmptyText()),
  }),
);

const partEntriesSchema = /* @__PURE__ */ declared(() =>
  z.array(
    z.object({
      name: nonEmptyText(),
      value: z.pipe(z.string(), z.transform(trustedJsonText)),
      version: z.number().check(z.int(), z.positive()),
      revision: z.number().check(z.int(), z.positive()),
      updatedAt: nonEmptyText(),
      updatedBy: nonEmptyText(),
      hash: z.optional(z.string()),
    }),
  ),
);
const partSchema = /* @__PURE__ */ declared(() =>
  z.object({ position: count(), entries: z.instanceof(Uint8Array) }),
);

export class SnapshotTooLargeError extends Error {
  constructor(parts: number) {
    super(`A snapshot of ${parts} parts is more than the ${snapshotMaxParts} one manifest lists.`);
    this.name = 'SnapshotTooLargeError';
  }
}

/**
 * Snapshots of the whole configuration. Every item is written once and never changed (two
 * takers at one revision write the same bytes), and a snapshot's manifest is written only after
 * all of its parts: so a manifest read eventually consistent may be an older one (still a true
 * snapshot, with more log after it), and a part missing from an eventually consistent read is
 * one a replica has not received yet, read again strongly.
 */
export class SnapshotStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
    /** Smaller in tests, to make many parts of a few entries. */
    private readonly partMaxBytes = defaultPartMaxBytes,
  ) {}

  /** The newest snapshot at or before a revision, or one a little older (see the class). */
  async newestAtOrBefore(revision: Revision): Promise<SnapshotManifest | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#series = :series AND #position <= :revision',
        ExpressionAttributeNames: { '#series': 'series', '#position': 'position' },
        ExpressionAttributeValues: { ':series': manifests, ':revision': revision },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: false,
      }),
    );
    const item = result.Items?.[0];
    return item ? manifestOf(item) : undefined;
  }

  /** The entries of some of a snapshot's parts, in name order. */
  async entriesOf(manifest: SnapshotManifest, range: PartRange): Promise<LiveEntry[]> {
    if (range.last < range.first) return [];
    const found = await this.queryParts(manifest.revision, range);
    const entries: LiveEntry[] = [];
    for (let position = range.first; position <= range.last; position += 1) {
      const part = found.get(position) ?? (await this.readPartStrongly(manifest, position));
      entries.push(...part);
    }
    return entries;
  }

  /**
   * Writes a snapshot: its parts, then its manifest. A crash in between leaves parts no manifest
   * names, which nothing reads; the next taker at that revision writes them again, the same.
   */
  async write(revision: Revision, entries: readonly LiveEntry[]): Promise<SnapshotManifest> {
    // Each entry is serialized once: to weigh it, then as its part's text.
    const serialized = entries.map((entry) => ({ name: entry.name, json: JSON.stringify(entry) }));
    const parts = inBatches(serialized, { maxBytes: this.partMaxBytes }, (entry) =>
      Buffer.byteLength(entry.json),
    );
    if (parts.length > snapshotMaxParts) throw new SnapshotTooLargeError(parts.length);
    for (const [position, part] of parts.entries()) {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            series: partsOfRevision(revision),
            position,
            entries: gzipSync(`[${part.map((entry) => entry.json).join(',')}]`),
          },
        }),
      );
    }
    const manifest: SnapshotManifest = {
      revision,
      entryCount: entries.length,
      bytes: entries.reduce((sum, entry) => sum + snapshotEntryBytes(entry), 0),
      firstNames: parts.map((part) => part[0]?.name ?? ''),
    };
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          series: manifests,
          position: revision,
          entryCount: manifest.entryCount,
          bytes: manifest.bytes,
          firstNames: [...manifest.firstNames],
        },
      }),
    );
    return manifest;
  }

  /** The parts of a range an eventually consistent read returns: maybe not all of them. */
  private async queryParts(
    revision: Revision,
    range: PartRange,
  ): Promise<Map<number, LiveEntry[]>> {
    const found = new Map<number, LiveEntry[]>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#series = :series AND #position BETWEEN :first AND :last',
          ExpressionAttributeNames: { '#series': 'series', '#position': 'position' },
          ExpressionAttributeValues: {
            ':series': partsOfRevision(revision),
            ':first': range.first,
            ':last': range.last,
          },
          ExclusiveStartKey: startKey,
          // Parts never change once written: a replica has either the whole part or none of it.
          ConsistentRead: false,
        }),
      );
      for (const item of result.Items ?? []) {
        const part = partOf(revision, item);
        found.set(part.position, part.entries);
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  private async readPartStrongly(
    manifest: SnapshotManifest,
    position: number,
  ): Promise<LiveEntry[]> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { series: partsOfRevision(manifest.revision), position },
        ConsistentRead: true,
      }),
    );
    if (!result.Item) {
      throw new CorruptCommitError(
        `Part ${position} of the snapshot at revision ${manifest.revision} is missing.`,
      );
    }
    return partOf(manifest.revision, result.Item).entries;
  }
}

function manifestOf(item: Record<string, unknown>): SnapshotManifest {
  const parsed = manifestSchema.safeParse(item);
  if (!parsed.success) {
    throw new CorruptCommitError(
      `The manifest of the snapshot at revision ${String(item.position)} is malformed: ${parsed.error.message}`,
      { cause: parsed.error },
    );
  }
  const { position, entryCount, bytes, firstNames } = parsed.data;
  return { revision: position, entryCount, bytes, firstNames };
}

function partOf(
  revision: Revision,
  item: Record<string, unknown>,
): { position: number; entries: LiveEntry[] } {
  const malformed = (cause: unknown) =>
    new CorruptCommitError(
      `Part ${String(item.position)} of the snapshot at revision ${revision} is malformed.`,
      { cause },
    );
  const parsed = partSchema.safeParse(item);
  if (!parsed.success) throw malformed(parsed.error);
  try {
    const entries = partEntriesSchema.parse(
      JSON.parse(gunzipSync(parsed.data.entries).toString('utf8')),
    );
    return { position: parsed.data.position, entries };
  } catch (error) {
    throw malformed(error);
  }
}
