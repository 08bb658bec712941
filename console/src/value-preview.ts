import { writeJson } from './json-text.ts';

/** How many characters of a value the entry list shows, the ellipsis included. */
export const previewLength = 60;

const characters = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A value on one line, as its exact JSON text (numbers never rounded, strings quoted), cut to
 * `length` characters with an ellipsis when longer. JSON text never holds a line break (strings
 * escape theirs), and the cut falls between characters as a person sees them, never inside an
 * emoji or an accented letter.
 */
export function valuePreview(value: unknown, length = previewLength): string {
  const text = writeJson(value);
  let count = 0;
  let cut = 0;
  for (const { index } of characters.segment(text)) {
    if (count === length - 1) cut = index;
    if (count === length) return `${text.slice(0, cut)}…`;
    count += 1;
  }
  return text;
}
