/**
 * The size DynamoDB counts for an item, from its documented rules: attribute names and strings
 * in UTF-8 bytes, numbers about one byte per two significant digits plus one, booleans and nulls
 * one byte, and three bytes of overhead per list or map besides their elements (one per element).
 * Used to refuse a commit that would not fit before it is sent, not after.
 */
export function itemBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    bytes += Buffer.byteLength(name, 'utf8') + valueBytes(value);
  }
  return bytes;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return numberBytes(value);
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) {
    return 3 + value.reduce<number>((sum, element) => sum + 1 + valueBytes(element), 0);
  }
  if (typeof value === 'object') {
    return 3 + itemBytes(value as Record<string, unknown>) + Object.keys(value).length;
  }
  throw new TypeError(`No DynamoDB size for a ${typeof value}.`);
}

function numberBytes(value: number): number {
  const digits = String(Math.abs(value)).replace(/e.*$/, '').replace('.', '').replace(/^0+/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}
