import { isLosslessNumber } from 'lossless-json';
import type { JsonValue } from './json.ts';

/** One RFC 6902 operation; `value` is absent for removals. */
export interface PatchOperation {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly value?: JsonValue;
}

type JsonObject = { [key: string]: JsonValue };

/**
 * The JSON Patch (RFC 6902) that turns `from` into `to`. `undefined` stands for "no value"
 * (the entry did not exist): adding or removing the whole document at the root path.
 * Objects are compared key by key, arrays index by index (growing or shrinking at the end).
 */
export function diffJson(from: JsonValue | undefined, to: JsonValue | undefined): PatchOperation[] {
  if (from === undefined && to === undefined) return [];
  if (from === undefined) return [{ op: 'add', path: '', value: to as JsonValue }];
  if (to === undefined) return [{ op: 'remove', path: '' }];
  return diffValues(from, to, '');
}

function diffValues(from: JsonValue, to: JsonValue, path: string): PatchOperation[] {
  if (isObject(from) && isObject(to)) return diffObjects(from, to, path);
  if (Array.isArray(from) && Array.isArray(to)) return diffArrays(from, to, path);
  return jsonEqual(from, to) ? [] : [{ op: 'replace', path, value: to }];
}

function diffObjects(from: JsonObject, to: JsonObject, path: string): PatchOperation[] {
  const operations: PatchOperation[] = [];
  for (const key of Object.keys(from)) {
    if (!Object.hasOwn(to, key)) operations.push({ op: 'remove', path: childPath(path, key) });
  }
  for (const [key, value] of Object.entries(to)) {
    const child = childPath(path, key);
    if (Object.hasOwn(from, key))
      operations.push(...diffValues(from[key] as JsonValue, value, child));
    else operations.push({ op: 'add', path: child, value });
  }
  return operations;
}

function diffArrays(from: JsonValue[], to: JsonValue[], path: string): PatchOperation[] {
  const operations: PatchOperation[] = [];
  const shared = Math.min(from.length, to.length);
  for (let index = 0; index < shared; index++) {
    operations.push(
      ...diffValues(from[index] as JsonValue, to[index] as JsonValue, `${path}/${index}`),
    );
  }
  for (let index = shared; index < to.length; index++) {
    operations.push({ op: 'add', path: `${path}/${index}`, value: to[index] as JsonValue });
  }
  // Removed from the end backwards, so that each index is still valid when applied.
  for (let index = from.length - 1; index >= shared; index--) {
    operations.push({ op: 'remove', path: `${path}/${index}` });
  }
  return operations;
}

export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (isLosslessNumber(a) || isLosslessNumber(b)) return String(a) === String(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return (
      a.length === b.length && a.every((item, index) => jsonEqual(item, b[index] as JsonValue))
    );
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(
        (key) => Object.hasOwn(b, key) && jsonEqual(a[key] as JsonValue, b[key] as JsonValue),
      )
    );
  }
  return Object.is(a, b) || a === b;
}

function isObject(value: JsonValue): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value)
  );
}

/** RFC 6901: `~` is written `~0` and `/` is written `~1` in a path segment. */
function childPath(path: string, key: string): string {
  return `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}
