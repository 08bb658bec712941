import { type Item, itemSize } from '#local/item-size.ts';
import type { IndexDefinition, TableDefinition } from '#store/tables.ts';

/**
 * Capacity units as DynamoDB bills them, from its published rules ("Read and write capacity
 * units", "Capacity unit consumption for writes", "Conditional writes", Amazon DynamoDB Developer
 * Guide). On demand, a unit is a request unit: the same counts, billed per million.
 */

const writeUnitBytes = 1024;
const readUnitBytes = 4096;

/**
 * One item written (put, update, delete, or one request of a batch): one unit per started KB of
 * the larger of the item before and after. A conditional write that fails costs as the item it
 * checked: pass that item as `before` and no `after`. At least one unit, even for no item.
 */
export function writeUnits(before: Item | undefined, after: Item | undefined): number {
  const bytes = Math.max(sizeOf(before), sizeOf(after));
  return Math.max(1, Math.ceil(bytes / writeUnitBytes));
}

/**
 * What the same write costs in the table's indexes: an index holds a copy of every item that has
 * its key attributes, with the attributes it projects. A copy that appears or disappears is one
 * write of its size; one whose index key changes is a delete and a put; one whose projected
 * attributes change is one write of the larger copy; an unchanged copy costs nothing.
 */
export function indexWriteUnits(
  table: TableDefinition,
  before: Item | undefined,
  after: Item | undefined,
): number {
  const indexes = [...table.localIndexes, ...table.globalIndexes];
  return indexes.reduce(
    (sum, index) =>
      sum +
      copyWriteUnits(
        table,
        index,
        before && indexCopy(table, index, before),
        after && indexCopy(table, index, after),
      ),
    0,
  );
}

function copyWriteUnits(
  table: TableDefinition,
  index: IndexDefinition,
  old: Item | undefined,
  next: Item | undefined,
): number {
  if (old && next) {
    if (JSON.stringify(old) === JSON.stringify(next)) return 0;
    if (!sameIndexKey(table, index, old, next)) return units(old) + units(next);
    return writeUnits(old, next);
  }
  const copy = old ?? next;
  return copy ? units(copy) : 0;
}

function units(copy: Item): number {
  return writeUnits(copy, undefined);
}

/**
 * A read of `bytes` (one item, or every item a Query or Scan read, summed): one unit per started
 * 4 KB strongly consistent, half that eventually consistent; at least one (or a half), even when
 * nothing was found.
 */
export function readUnits(bytes: number, consistent: boolean): number {
  const whole = Math.max(1, Math.ceil(bytes / readUnitBytes));
  return consistent ? whole : whole / 2;
}

export function sizeOf(item: Item | undefined): number {
  return item ? itemSize(item) : 0;
}

/** The item's key attribute names in the table. */
export function keyNames(table: TableDefinition): string[] {
  return [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])];
}

function indexKeyNames(table: TableDefinition, index: IndexDefinition): string[] {
  return [(index.partitionKey ?? table.partitionKey).name, index.sortKey.name];
}

function sameIndexKey(table: TableDefinition, index: IndexDefinition, a: Item, b: Item): boolean {
  return indexKeyNames(table, index).every(
    (name) => JSON.stringify(a[name]) === JSON.stringify(b[name]),
  );
}

/** The copy of an item an index holds, or undefined when the item lacks the index's key. */
function indexCopy(table: TableDefinition, index: IndexDefinition, item: Item): Item | undefined {
  const indexKeys = indexKeyNames(table, index);
  if (!indexKeys.every((name) => item[name] !== undefined)) return undefined;
  const projection = index.projection ?? { type: 'ALL' };
  if (projection.type === 'ALL') return item;
  const kept = new Set([...keyNames(table), ...indexKeys]);
  if (projection.type === 'INCLUDE') for (const name of projection.attributes) kept.add(name);
  return Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name)));
}
