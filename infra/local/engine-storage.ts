import { ClassicLevel } from 'classic-level';
import { ConfigLedgerError } from '#domain/errors.ts';

/** Why the engine's storage refuses writes (until the local stack is restarted). */
export interface StorageFault {
  readonly message: string;
  /** The storage error's code: LEVEL_IO_ERROR for a full disk, among others. */
  readonly code: string;
}

export interface StorageSettings {
  /**
   * Answer a write only once it is on disk (LevelDB's `sync` write option: the log is flushed
   * with fdatasync before the write returns). Without it a write survives the process being
   * killed, not the machine losing power.
   */
  readonly syncWrites: boolean;
}

type Write = (this: unknown, ...args: unknown[]) => Promise<unknown>;
type Writes = Record<'_put' | '_del' | '_batch', Write>;

const patched = Symbol('config-ledger storage');
let settings: StorageSettings = { syncWrites: true };
let fault: StorageFault | undefined;

/** The fault that stopped writes, if one has; reads go on whatever it is. */
export function storageFault(): StorageFault | undefined {
  return fault;
}

/**
 * Sets how the embedded engine writes to disk. dynalite opens its LevelDB store itself and
 * passes no write options, and it rethrows a storage error from inside its callbacks (its
 * index.js, `if (err) throw err`), which kills the process. So the writes of classic-level (the
 * only LevelDB binding in this process, dynalite's) are wrapped once: each is made synchronous
 * when asked, and a failed write carries the status and body dynalite answers a failed request
 * with, so the caller gets a DynamoDB error instead of the process dying.
 */
export function configureEngineStorage(next: StorageSettings): void {
  settings = next;
  const prototype = ClassicLevel.prototype as unknown as Writes & { [patched]?: true };
  if (prototype[patched]) return;
  prototype[patched] = true;
  for (const method of ['_put', '_del', '_batch'] as const) {
    const write = prototype[method];
    prototype[method] = function (this: unknown, ...args: unknown[]) {
      const options = args.pop() as object | undefined;
      return write
        .call(this, ...args, { ...options, sync: settings.syncWrites })
        .catch((error: unknown) => {
          throw answerable(error);
        });
    };
  }
}

/** Codes of LevelDB failures after which it refuses every write until reopened. */
const lastingFaults = new Set(['LEVEL_IO_ERROR', 'LEVEL_CORRUPTION']);

function answerable(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: string }).code ?? 'UNKNOWN';
  if (lastingFaults.has(code)) fault ??= { code, message: error.message };
  return Object.assign(error, {
    statusCode: 500,
    body: {
      __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
      message: `The local engine's storage failed: ${error.message}`,
    },
  });
}

/** A full disk: nothing can be written until space is freed and the local stack restarted. */
export class InsufficientStorageError extends ConfigLedgerError {
  readonly code = 'insufficient_storage';
}

/** Any other storage failure that stops writes. */
export class StorageUnavailableError extends ConfigLedgerError {
  readonly code = 'storage_unavailable';
}

/** What a write gets once the storage has failed: a clear error, while reads go on. */
export function storageFaultError(storage: StorageFault): ConfigLedgerError {
  const advice =
    'Writes are refused until the local stack is restarted; reads go on. Nothing acknowledged was lost.';
  return /no space left/i.test(storage.message)
    ? new InsufficientStorageError(
        `The local stack's disk is full (${storage.message}). Free some space, then restart it. ${advice}`,
      )
    : new StorageUnavailableError(
        `The local stack's storage failed (${storage.message}). ${advice}`,
      );
}
