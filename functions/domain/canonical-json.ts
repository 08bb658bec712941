/**
 * A JSON value's one canonical text, as RFC 8785 (JCS) defines it for the values we hash: object
 * members sorted by their names' UTF-16 code units, no whitespace, strings and numbers written as
 * ECMAScript's JSON.stringify writes them. Two parties that agree on the value agree on the text,
 * byte for byte, whatever order they built it in, so a hash of it can be recomputed by anyone.
 * Members whose value is undefined are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form.`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') return canonicalObject(value as Record<string, unknown>);
  throw new TypeError(`A ${typeof value} has no JSON form.`);
}

function canonicalObject(object: Record<string, unknown>): string {
  // The default sort compares UTF-16 code units, which is the order RFC 8785 asks for.
  const names = Object.keys(object)
    .filter((name) => object[name] !== undefined)
    .sort();
  const members = names.map((name) => `${JSON.stringify(name)}:${canonicalJson(object[name])}`);
  return `{${members.join(',')}}`;
}
