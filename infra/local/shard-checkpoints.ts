import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How far a shard has been delivered: its last delivered record, or all of it. */
export interface ShardCheckpoint {
  readonly sequenceNumber?: string;
  /** The shard is closed and every record of it was delivered (or dead-lettered). */
  readonly ended?: boolean;
}

type Checkpoints = Record<string, Record<string, ShardCheckpoint>>;

/** Written in DATA_DIR: where each stream's shards were left, so a restart resumes there. */
export const checkpointsFile = 'stream-checkpoints.json';

/**
 * Per stream and shard, what has been delivered, kept in DATA_DIR (in memory without one).
 * Saved after each delivered batch, by writing a new file and renaming it over the old one, so
 * a crash leaves the previous or the next state, never half of one.
 */
export class ShardCheckpoints {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string | undefined,
    private readonly checkpoints: Checkpoints,
  ) {}

  /** Each reader of the streams keeps its own file: `fileName` names it. */
  static async open(
    dataDir: string | undefined,
    fileName = checkpointsFile,
  ): Promise<ShardCheckpoints> {
    const file = dataDir ? join(dataDir, fileName) : undefined;
    const saved = file
      ? await readFile(file, 'utf8')
          .then((text) => JSON.parse(text) as Checkpoints)
          .catch((error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') return {};
            throw error;
          })
      : {};
    return new ShardCheckpoints(file, saved);
  }

  of(streamArn: string, shardId: string): ShardCheckpoint {
    return this.checkpoints[streamArn]?.[shardId] ?? {};
  }

  save(streamArn: string, shardId: string, checkpoint: ShardCheckpoint): Promise<void> {
    this.checkpoints[streamArn] = { ...this.checkpoints[streamArn], [shardId]: checkpoint };
    const text = `${JSON.stringify(this.checkpoints, null, 2)}\n`;
    const file = this.file;
    if (!file) return Promise.resolve();
    this.saving = this.saving.then(async () => {
      await writeFile(`${file}.new`, text);
      await rename(`${file}.new`, file);
    });
    return this.saving;
  }
}
