export interface BatchLimits {
  /** What one batch may weigh, as the caller's `sizeOf` weighs items. */
  readonly maxBytes: number;
  /** Items in one batch at most. @default no bound */
  readonly maxItems?: number;
}

/**
 * Consecutive items in batches within the limits, in their order: log commits, EventBridge
 * calls, snapshot parts. An item heavier than `maxBytes` alone makes a batch of its own, so
 * nothing is ever dropped; the caller decides whether such an item may exist.
 */
export function inBatches<Item>(
  items: Iterable<Item>,
  limits: BatchLimits,
  sizeOf: (item: Item) => number,
): Item[][] {
  const batches: Item[][] = [];
  let batch: Item[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    const full =
      bytes + size > limits.maxBytes ||
      (limits.maxItems !== undefined && batch.length >= limits.maxItems);
    if (full && batch.length > 0) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
