/** A value as the editor shows it, and back; a parse error comes back in words. */
export const pretty = (value: unknown): string => JSON.stringify(value, null, 2) ?? 'null';

export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `The value is not valid JSON: ${(error as Error).message}` };
  }
}
