import { LosslessNumber, parse, stringify } from 'lossless-json';
import { UsageError } from './errors.ts';

/**
 * JSON with exact numbers: a number a double reproduces is a number, any other
 * (12345678901234567890, 1.0, -0, 1e400) keeps its text, so it prints exactly as it was sent.
 */
export function parseExact(text: string): unknown {
  return parse(text, null, (digits) => {
    const number = Number(digits);
    return String(number) === digits ? number : new LosslessNumber(digits);
  });
}

/** Serializes a value read with parseExact, numbers exactly as they were. */
export function stringifyExact(value: unknown, indent?: number): string {
  const text = stringify(value, undefined, indent);
  if (text === undefined) throw new TypeError('Value has no JSON representation.');
  return text;
}

/** JSON given by the user (argument, file or stdin); `what` names it in the error. */
export function parseUserJson(text: string, what: string): unknown {
  try {
    return parseExact(text);
  } catch (error) {
    const reason =
      error instanceof RangeError ? 'it is nested too deeply' : (error as Error).message;
    throw new UsageError(`${what} is not valid JSON: ${reason}.`, { cause: error });
  }
}

/**
 * A request document given by the user, which must be a JSON object: the text to send (as read,
 * or with `comment` added, numbers exact either way) and the object, for a look inside.
 */
export function userDocument(
  text: string,
  what: string,
  comment: string | undefined,
): { body: string; document: Record<string, unknown> } {
  const document = parseUserJson(text, what);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new UsageError(`${what} must be a JSON object.`);
  }
  const body = comment === undefined ? text : stringifyExact({ ...document, comment });
  return { body, document: document as Record<string, unknown> };
}

/** One line of JSON for a table cell, cut to `maxLength` characters. */
export function compactJson(value: unknown, maxLength = 60): string {
  const text = stringifyExact(value);
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}
