/** Snappy decompression (the format of LevelDB's compressed table blocks), for reading indexes. */
export function snappyDecompress(input: Uint8Array): Uint8Array {
  const reader = { bytes: input, at: 0 };
  const output = { bytes: new Uint8Array(readVarint(reader)), at: 0 };
  while (reader.at < input.length) {
    const tag = byteAt(reader);
    if ((tag & 3) === 0) copyLiteral(reader, output, literalLength(reader, tag >> 2));
    else copyBack(output, copyOf(reader, tag));
  }
  if (output.at !== output.bytes.length) throw new Error('the block is shorter than it says');
  return output.bytes;
}

function copyLiteral(reader: Reader, output: Writer, length: number): void {
  if (reader.at + length > reader.bytes.length) throw new Error('a literal runs past the block');
  if (output.at + length > output.bytes.length) throw new Error('a literal overflows the block');
  output.bytes.set(reader.bytes.subarray(reader.at, reader.at + length), output.at);
  reader.at += length;
  output.at += length;
}

function copyBack(output: Writer, copy: { length: number; offset: number }): void {
  if (copy.offset === 0 || copy.offset > output.at)
    throw new Error('a copy points before the block');
  if (output.at + copy.length > output.bytes.length) throw new Error('a copy overflows the block');
  for (let index = 0; index < copy.length; index++, output.at++) {
    output.bytes[output.at] = output.bytes[output.at - copy.offset] ?? 0;
  }
}

interface Writer {
  readonly bytes: Uint8Array;
  at: number;
}

interface Reader {
  readonly bytes: Uint8Array;
  at: number;
}

function byteAt(reader: Reader): number {
  const byte = reader.bytes[reader.at++];
  if (byte === undefined) throw new Error('the block ends too early');
  return byte;
}

function littleEndian(reader: Reader, size: number): number {
  let value = 0;
  for (let index = 0; index < size; index++) value += byteAt(reader) * 2 ** (8 * index);
  return value;
}

function literalLength(reader: Reader, code: number): number {
  return code < 60 ? code + 1 : littleEndian(reader, code - 59) + 1;
}

function copyOf(reader: Reader, tag: number): { length: number; offset: number } {
  if ((tag & 3) === 1) {
    return { length: ((tag >> 2) & 7) + 4, offset: ((tag >> 5) << 8) | byteAt(reader) };
  }
  return { length: (tag >> 2) + 1, offset: littleEndian(reader, (tag & 3) === 2 ? 2 : 4) };
}

/** A little-endian base-128 varint, as LevelDB and Snappy write lengths and offsets. */
export function readVarint(reader: Reader): number {
  let value = 0;
  for (let shift = 0; shift < 64; shift += 7) {
    const byte = byteAt(reader);
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
  }
  throw new Error('a varint is too long');
}
