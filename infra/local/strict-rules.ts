// DynamoDB's limits that dynalite does not enforce, each checked the way DynamoDB counts. Sources:
// "Constraints in Amazon DynamoDB" and "DynamoDB item sizes and formats" (Amazon DynamoDB
// Developer Guide); each boundary was also measured on Amazon DynamoDB Local (see
// docs/local-stack.md, "A local engine as strict as AWS").
import { type EngineAnswer, errorAnswer } from './engine-layers.ts';
import {
  type AttributeValue,
  attributesSize,
  type Item,
  itemSize,
  nestingDepth,
  utf8Bytes,
  valueSize,
} from './item-size.ts';
import type { IndexSchema, TableSchema } from './table-schemas.ts';

/** Items, index copies included: "The maximum item size in DynamoDB is 400 KB" (1 KB = 1024 B). */
export const maxItemBytes = 400 * 1024;
export const maxPartitionKeyBytes = 2048;
export const maxSortKeyBytes = 1024;
/** "The maximum length of any expression string is 4 KB." */
export const maxExpressionBytes = 4096;
/** "The maximum length of any single expression attribute name or value is 255 bytes." */
export const maxPlaceholderBytes = 255;
/** Attribute names: at most 64 KB - 1 bytes. */
export const maxAttributeNameBytes = 65_535;
/** "DynamoDB supports nested attributes up to 32 levels deep." */
export const maxNestingLevels = 32;
/** "A single Query [or Scan] operation can retrieve a maximum of 1 MB of data." */
export const maxPageBytes = 1024 * 1024;

const invalid = 'One or more parameter values were invalid';

const validation = (message: string) => errorAnswer('ValidationException', message);

const expressionNames = [
  'ConditionExpression',
  'UpdateExpression',
  'KeyConditionExpression',
  'FilterExpression',
  'ProjectionExpression',
] as const;

/** Expressions of at most 4 KB, placeholders (`#name`, `:value`) of at most 255 bytes. */
export function expressionRefusal(input: Record<string, unknown>): EngineAnswer | undefined {
  for (const name of expressionNames) {
    const expression = input[name];
    if (typeof expression !== 'string') continue;
    const size = utf8Bytes(expression);
    if (size > maxExpressionBytes) {
      return validation(
        `Invalid ${name}: Expression size has exceeded the maximum allowed size; expression size: ${size}`,
      );
    }
  }
  for (const map of ['ExpressionAttributeNames', 'ExpressionAttributeValues'] as const) {
    const long = Object.keys((input[map] as object | undefined) ?? {}).find(
      (key) => utf8Bytes(key) > maxPlaceholderBytes,
    );
    if (long !== undefined) {
      return validation(
        `${map} contains invalid key: The expression attribute map contains a key that is too long; size of key: ${utf8Bytes(long)}`,
      );
    }
  }
  return undefined;
}

/** A primary key's values within 2,048 (partition) and 1,024 (sort) bytes. */
export function keyRefusal(key: Item, table: TableSchema): EngineAnswer | undefined {
  return keySizeRefusal(key, table.partitionKey, table.sortKey);
}

function keySizeRefusal(
  item: Item,
  partitionKey: string,
  sortKey: string | undefined,
): EngineAnswer | undefined {
  if (keyBytes(item[partitionKey]) > maxPartitionKeyBytes) {
    return validation(
      `${invalid}: Size of hashkey has exceeded the maximum size limit of${maxPartitionKeyBytes} bytes`,
    );
  }
  if (sortKey && keyBytes(item[sortKey]) > maxSortKeyBytes) {
    return validation(
      `${invalid}: Aggregated size of all range keys has exceeded the size limit of ${maxSortKeyBytes} bytes`,
    );
  }
  return undefined;
}

/** Numbers have no byte limit as keys; strings and binaries do. */
function keyBytes(value: AttributeValue | undefined): number {
  return value && ('S' in value || 'B' in value) ? valueSize(value) : 0;
}

/** Everything DynamoDB checks of an item being put, in the order it reports them. */
export function itemRefusal(item: Item, table: TableSchema): EngineAnswer | undefined {
  return (
    attributeNameRefusal(item) ??
    nestingRefusal(item) ??
    keyRefusal(item, table) ??
    indexKeyRefusal(item, table) ??
    itemSizeRefusal(item, table, 'Item size has exceeded the maximum allowed size')
  );
}

function attributeNameRefusal(item: Item): EngineAnswer | undefined {
  const long = Object.keys(item).some((name) => utf8Bytes(name) > maxAttributeNameBytes);
  return long
    ? validation(
        `Attribute name is too large, must be less than ${maxAttributeNameBytes + 1} bytes`,
      )
    : undefined;
}

function nestingRefusal(item: Item): EngineAnswer | undefined {
  const deep = Object.values(item).some((value) => nestingDepth(value) > maxNestingLevels);
  return deep
    ? validation(
        'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
      )
    : undefined;
}

/**
 * Index keys as table keys: within the key sizes, and never an empty string or binary (since
 * DynamoDB took empty values in 2020, "empty values are not allowed for index keys").
 */
function indexKeyRefusal(item: Item, table: TableSchema): EngineAnswer | undefined {
  for (const index of [...table.localIndexes, ...table.globalIndexes]) {
    for (const name of [index.partitionKey, index.sortKey]) {
      const value = name ? item[name] : undefined;
      if (value && keyBytes(value) === 0 && !('N' in value)) {
        return validation(
          `${invalid}. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ${index.indexName}, IndexKey: ${name}`,
        );
      }
    }
    const refusal = keySizeRefusal(item, index.partitionKey, index.sortKey);
    if (refusal) return refusal;
  }
  return undefined;
}

/**
 * 400 KB for the item and its copies in the table's local secondary indexes together: an item
 * that has a local index's sort key is stored again in that index, with the index's projection.
 */
export function itemSizeRefusal(
  item: Item,
  table: TableSchema,
  message: string,
): EngineAnswer | undefined {
  return storedSize(item, table) > maxItemBytes ? validation(message) : undefined;
}

export function storedSize(item: Item, table: TableSchema): number {
  const size = itemSize(item);
  return table.localIndexes.reduce(
    (sum, index) => sum + localIndexEntrySize(item, table, index),
    size,
  );
}

/**
 * An item's entry in a local index, as Amazon's engine counts it: the whole item for an ALL
 * projection; otherwise the partition key, the index's sort key and the included attributes.
 */
function localIndexEntrySize(item: Item, table: TableSchema, index: IndexSchema): number {
  if (!index.sortKey || !item[index.sortKey]) return 0;
  if (index.projectionType === 'ALL') return itemSize(item);
  return attributesSize(item, [table.partitionKey, index.sortKey, ...index.nonKeyAttributes]);
}
