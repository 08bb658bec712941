import { isLosslessNumber, type LosslessNumber, parse, stringify } from 'lossless-json';
import { InvalidJsonError } from './errors.ts';
import { exactNumber } from './json-number.ts';
import { limits } from './limits.ts';

/**
 * JSON with exact numbers. A number whose text a JavaScript double cannot reproduce
 * (12345678901234567890, 1.0, -0, 1e400) is kept as its original text, so a value always
 * round-trips to the same JSON its writer sent.
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | LosslessNumber
  | JsonValue[]
  | { [key: string]: JsonValue };

/** Serialized JSON, as stored and as returned. Only produced by this module. */
export type JsonText = string & { readonly __brand: 'JsonText' };

/** JSON text to splice verbatim into a serialized document (see serializeJson). */
export class RawJson {
  constructor(readonly text: JsonText) {}
}

export function parseJson(text: string): JsonValue {
  assertDepthWithin(text, limits.valueMaxDepth);
  try {
    return parse(text, null, exactNumber) as JsonValue;
  } catch (error) {
    throw new InvalidJsonError(`Body is not valid JSON: ${(error as Error).message}.`, {
      cause: error,
    });
  }
}

/** Canonical text of a value: no insignificant whitespace, numbers exactly as received. */
export function toJsonText(value: JsonValue): JsonText {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('Value has no JSON representation.');
  return text as JsonText;
}

/** Text already known to be JSON produced by toJsonText (e.g. read back from storage). */
export function trustedJsonText(text: string): JsonText {
  return text as JsonText;
}

/**
 * Serializes a document in which RawJson parts stand for JSON text to splice in verbatim. Each
 * part goes through JSON.stringify as a marker string no client can forge (a per-process nonce),
 * then the markers are replaced by the text.
 */
export function serializeJson(value: unknown): string {
  const parts: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) =>
    item instanceof RawJson ? `${rawMarker}${parts.push(item.text) - 1}` : item,
  );
  if (text === undefined) throw new TypeError('Value has no JSON representation.');
  if (parts.length === 0) return text;
  return text.replace(rawMarkerPattern, (_match, index: string) => parts[Number(index)] ?? 'null');
}

const rawNonce = crypto.randomUUID();
const rawMarker = `\u0000raw:${rawNonce}:`;
const rawMarkerPattern = new RegExp(`"\\\\u0000raw:${rawNonce}:(\\d+)"`, 'g');

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A JSON integer, whether it arrived as a plain number or as exact text. */
export function asInteger(value: unknown): number | undefined {
  const numeric = isLosslessNumber(value) ? Number(value.toString()) : value;
  return typeof numeric === 'number' && Number.isSafeInteger(numeric) ? numeric : undefined;
}

/**
 * Rejects nesting beyond maxDepth before parsing: recursive parsers and serializers would
 * otherwise overflow the stack on hostile input.
 */
function assertDepthWithin(text: string, maxDepth: number): void {
  if (nestingDepth(text) > maxDepth) {
    throw new InvalidJsonError(`JSON is nested more than ${maxDepth} levels deep.`);
  }
}

const stringLiteral = /"[^"\\]*(?:\\.[^"\\]*)*"/g;

function nestingDepth(text: string): number {
  const structure = text.replace(stringLiteral, '""');
  let depth = 0;
  let deepest = 0;
  for (const char of structure) {
    if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth);
    else if (char === ']' || char === '}') depth--;
  }
  return deepest;
}
