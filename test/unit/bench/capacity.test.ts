import { describe, expect, it } from 'vitest';
import type { TableDefinition } from '#store/tables.ts';
import { indexWriteUnits, readUnits, writeUnits } from '../../bench/capacity.ts';

/** An item of about `bytes` bytes: a 2-byte name (`pk`, `id`) and a string making up the rest. */
const sized = (bytes: number, extra: Record<string, object> = {}) => ({
  pk: { S: 'k' },
  body: { S: 'x'.repeat(bytes - 7) },
  ...extra,
});

const withIndex: TableDefinition = {
  id: 'Scratch',
  tableNameVariable: 'SCRATCH_TABLE_NAME',
  defaultTableName: 'scratch',
  partitionKey: { name: 'pk', type: 'S' },
  localIndexes: [],
  globalIndexes: [
    {
      indexName: 'by-owner',
      partitionKey: { name: 'owner', type: 'S' },
      sortKey: { name: 'pk', type: 'S' },
      projection: { type: 'KEYS_ONLY' },
    },
  ],
  streamNewImages: false,
};

describe('Function: writeUnits', () => {
  it('charges one unit per started kilobyte of the larger item, before or after', () => {
    expect(writeUnits(undefined, sized(1024))).toBe(1);
    expect(writeUnits(undefined, sized(1025))).toBe(2);
    expect(writeUnits(sized(3000), sized(100))).toBe(3);
  });

  it('charges a failed conditional write as the item it checked, and one unit for none', () => {
    expect(writeUnits(sized(2100), undefined)).toBe(3);
    expect(writeUnits(undefined, undefined)).toBe(1);
  });
});

describe('Function: indexWriteUnits', () => {
  it('charges nothing for an item outside every index', () => {
    expect(indexWriteUnits(withIndex, undefined, sized(5000))).toBe(0);
  });

  it('charges a new copy by its projected size, not the whole item', () => {
    expect(indexWriteUnits(withIndex, undefined, sized(5000, { owner: { S: 'a' } }))).toBe(1);
  });

  it('charges nothing when the projected attributes do not change', () => {
    const before = sized(5000, { owner: { S: 'a' } });
    const after = sized(6000, { owner: { S: 'a' } });

    expect(indexWriteUnits(withIndex, before, after)).toBe(0);
  });

  it('charges a delete and a put when the index key changes', () => {
    const before = sized(100, { owner: { S: 'a' } });
    const after = sized(100, { owner: { S: 'b' } });

    expect(indexWriteUnits(withIndex, before, after)).toBe(2);
  });
});

describe('Function: readUnits', () => {
  it('charges one unit per started 4 KB strongly consistent, half eventually consistent', () => {
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, true)).toBe(2);
    expect(readUnits(4097, false)).toBe(1);
  });

  it('charges the minimum for a read that finds nothing', () => {
    expect(readUnits(0, true)).toBe(1);
    expect(readUnits(0, false)).toBe(0.5);
  });
});
