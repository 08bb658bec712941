import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from './config.ts';
import { crc32c, unmaskCrc } from './crc32c.ts';
import { readVarint, snappyDecompress } from './snappy.ts';

/** The engine's files hold damage: the local stack refuses to serve from them. */
export class EngineDataCorruptError extends ConfigurationError {}

class Damage extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Reads every file of the engine's LevelDB store and checks every checksum in it: each record
 * of the write-ahead logs and of the manifest, each block of each table. LevelDB itself checks
 * none of the table checksums on reads (classic-level does not expose `verify_checksums` nor
 * `paranoid_checks`) and skips a damaged log record silently, so a flipped bit would otherwise
 * be served as a different value, or an acknowledged write would vanish. A record cut short at
 * the very end of a log is a write the process died in the middle of, never acknowledged (writes
 * are answered once synced): that alone is accepted, as LevelDB does.
 */
export async function verifyEngineFiles(directory: string): Promise<void> {
  const names = await readdir(directory).catch(() => [] as string[]);
  const manifest = (await readFile(join(directory, 'CURRENT'), 'utf8').catch(() => '')).trim();
  for (const name of names) {
    const verify = verifierOf(name, manifest);
    if (verify) await verifyFile(join(directory, name), verify);
  }
}

function verifierOf(name: string, manifest: string): ((bytes: Uint8Array) => void) | undefined {
  if (/\.(ldb|sst)$/.test(name)) return verifyTable;
  if (/^\d+\.log$/.test(name) || name === manifest) return verifyLog;
  return undefined;
}

async function verifyFile(path: string, verify: (bytes: Uint8Array) => void): Promise<void> {
  try {
    verify(new Uint8Array(await readFile(path)));
  } catch (error) {
    if (!(error instanceof Damage)) throw error;
    throw new EngineDataCorruptError(
      `The engine's data is damaged: ${path} (${error.message}, at byte ${error.offset}). The local stack will not serve from it: restore DATA_DIR from a copy, or move it away to start empty.`,
    );
  }
}

const logBlockSize = 32 * 1024;
const logHeaderSize = 7;

/** The log format: 32 KiB blocks of records [masked CRC-32C, length, type, data]. */
function verifyLog(bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) at = afterRecord(bytes, at);
}

/** Checks the record at `at`, and says where the next one starts. */
function afterRecord(bytes: Uint8Array, at: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blockEnd = Math.min(bytes.length, (Math.floor(at / logBlockSize) + 1) * logBlockSize);
  // The writer pads a block's last few bytes.
  if (blockEnd - at < logHeaderSize) return blockEnd;
  const length = view.getUint16(at + 4, true);
  const type = bytes[at + 6] ?? 0;
  // A zero-length record of type zero: padding, or space the file system never filled.
  if (length === 0 && type === 0) return blockEnd;
  const end = at + logHeaderSize + length;
  if (end > blockEnd) {
    if (blockEnd === bytes.length) return blockEnd; // cut short at the end: a write never finished
    throw new Damage(`a log record of ${length} bytes runs past its block`, at);
  }
  if (type > 4) throw new Damage(`a log record has the unknown type ${type}`, at);
  if (unmaskCrc(view.getUint32(at, true)) !== crc32c(bytes.subarray(at + 6, end))) {
    throw new Damage('a log record does not match its checksum', at);
  }
  return end;
}

const footerSize = 48;
const tableMagic = 0xdb4775248b80fb57n;
const blockTrailerSize = 5;

interface BlockHandle {
  readonly offset: number;
  readonly size: number;
}

/** The table format: data blocks, a meta index, an index of the data blocks, a footer. */
function verifyTable(bytes: Uint8Array): void {
  if (bytes.length < footerSize) throw new Damage('the table is shorter than its footer', 0);
  const footerAt = bytes.length - footerSize;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getBigUint64(bytes.length - 8, true) !== tableMagic) {
    throw new Damage('the table footer has no table magic number', bytes.length - 8);
  }
  const reader = { bytes: bytes.subarray(footerAt, bytes.length - 8), at: 0 };
  const metaIndex = readHandle(reader, footerAt);
  const index = readHandle(reader, footerAt);
  verifiedBlock(bytes, metaIndex);
  for (const dataBlock of blockHandlesIn(verifiedBlock(bytes, index), index.offset)) {
    verifiedBlock(bytes, dataBlock);
  }
}

/** The values of an index block: the handle of each data block. */
function blockHandlesIn(block: Uint8Array, offset: number): BlockHandle[] {
  try {
    return readIndexEntries(block, offset);
  } catch (error) {
    if (error instanceof Damage) throw error;
    throw new Damage(`the index block cannot be read: ${(error as Error).message}`, offset);
  }
}

function readHandle(reader: { bytes: Uint8Array; at: number }, offset: number): BlockHandle {
  try {
    return { offset: readVarint(reader), size: readVarint(reader) };
  } catch {
    throw new Damage('a block handle cannot be read', offset + reader.at);
  }
}

/** A block's contents, once its checksum (over contents and compression type) matches. */
function verifiedBlock(bytes: Uint8Array, handle: BlockHandle): Uint8Array {
  const end = handle.offset + handle.size;
  if (end + blockTrailerSize > bytes.length) {
    throw new Damage('a block lies past the end of the table', handle.offset);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (unmaskCrc(view.getUint32(end + 1, true)) !== crc32c(bytes.subarray(handle.offset, end + 1))) {
    throw new Damage('a table block does not match its checksum', handle.offset);
  }
  const contents = bytes.subarray(handle.offset, end);
  try {
    return bytes[end] === 1 ? snappyDecompress(contents) : contents;
  } catch (error) {
    throw new Damage(
      `a compressed block cannot be read: ${(error as Error).message}`,
      handle.offset,
    );
  }
}

function readIndexEntries(block: Uint8Array, offset: number): BlockHandle[] {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const restarts = view.getUint32(block.length - 4, true);
  const entriesEnd = block.length - 4 * (restarts + 1);
  const reader = { bytes: block.subarray(0, Math.max(0, entriesEnd)), at: 0 };
  const handles: BlockHandle[] = [];
  while (reader.at < reader.bytes.length) {
    readVarint(reader); // bytes shared with the previous key
    const unshared = readVarint(reader);
    const valueLength = readVarint(reader);
    reader.at += unshared;
    const value = { bytes: reader.bytes.subarray(reader.at, reader.at + valueLength), at: 0 };
    handles.push(readHandle(value, offset));
    reader.at += valueLength;
  }
  return handles;
}
