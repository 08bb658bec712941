import { parse, stringify } from 'lossless-json';
import { exactNumber } from '#domain/json-number.ts';

/**
 * JSON as the service keeps it (exactNumber): showing, editing and saving a value never rounds
 * it. Plain JSON.parse would, and a save would then write the rounded number back.
 */
export function readJson(text: string): unknown {
  return parse(text, null, exactNumber);
}

export function writeJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** A value as the editor shows it, and back; a parse error comes back in words. */
export const pretty = (value: unknown): string => stringify(value, null, 2) ?? 'null';

export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: readJson(text) };
  } catch (error) {
    return { ok: false, error: `The value is not valid JSON: ${(error as Error).message}` };
  }
}
