import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32c, unmaskCrc } from '#local/crc32c.ts';
import { EngineDataCorruptError, verifyEngineFiles } from '#local/leveldb-check.ts';
import { snappyDecompress } from '#local/snappy.ts';
import { scratchDir } from '#test/scratch.ts';

/** LevelDB's masking, the inverse of unmaskCrc. */
const mask = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;

/** One log record as LevelDB writes it: masked CRC-32C of type and data, length, type, data. */
function logRecord(data: string, type = 1): Buffer {
  const payload = Buffer.concat([Buffer.from([type]), Buffer.from(data)]);
  const header = Buffer.alloc(6);
  header.writeUInt32LE(mask(crc32c(payload)), 0);
  header.writeUInt16LE(payload.length - 1, 4);
  return Buffer.concat([header, payload]);
}

async function engineWithLog(log: Buffer): Promise<string> {
  const directory = join(await scratchDir('leveldb-check'), 'dynamodb');
  await mkdir(directory);
  await writeFile(join(directory, '000003.log'), log);
  return directory;
}

describe('Function: crc32c', () => {
  it('gives the check value of CRC-32C, and masking round-trips', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(unmaskCrc(mask(0xe3069283))).toBe(0xe3069283);
  });
});

describe('Function: snappyDecompress', () => {
  it('expands literals and back-references', () => {
    // 12 bytes: literal "abcd", then a copy of 8 bytes from 4 back (1-byte offset form).
    const compressed = Uint8Array.from([12, 3 << 2, 0x61, 0x62, 0x63, 0x64, ((8 - 4) << 2) | 1, 4]);
    expect(Buffer.from(snappyDecompress(compressed)).toString()).toBe('abcdabcdabcd');
  });

  it('refuses a copy that points before the start', () => {
    expect(() => snappyDecompress(Uint8Array.from([8, ((8 - 4) << 2) | 1, 4]))).toThrow(
      /before the block/,
    );
  });
});

describe('Function: verifyEngineFiles', () => {
  it('accepts intact logs, and a record cut short at the very end (a write never finished)', async () => {
    const whole = Buffer.concat([logRecord('first'), logRecord('second')]);
    await expect(verifyEngineFiles(await engineWithLog(whole))).resolves.toBeUndefined();
    const cut = whole.subarray(0, whole.length - 3);
    await expect(verifyEngineFiles(await engineWithLog(cut))).resolves.toBeUndefined();
  });

  it('names the file and byte of a record that does not match its checksum', async () => {
    const log = Buffer.concat([logRecord('first'), logRecord('second')]);
    const damaged = logRecord('first').length + 9;
    log[damaged] = (log[damaged] ?? 0) ^ 0x01;
    const directory = await engineWithLog(log);

    const verifying = verifyEngineFiles(directory);

    await expect(verifying).rejects.toThrow(EngineDataCorruptError);
    await expect(verifyEngineFiles(directory)).rejects.toThrow(
      `${join(directory, '000003.log')} (a log record does not match its checksum, at byte 12)`,
    );
  });

  it('refuses a table without its footer', async () => {
    const directory = await engineWithLog(Buffer.alloc(0));
    await writeFile(join(directory, '000005.ldb'), Buffer.alloc(100));

    await expect(verifyEngineFiles(directory)).rejects.toThrow(
      /000005\.ldb \(the table footer has no table magic number/,
    );
  });
});
