import * as z from 'zod/mini';
import { limits } from './limits.ts';

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** Paths under /config/ that are routes of their own, so they cannot be entry names. */
const reservedNames = new Set(['diff']);

/** A configuration entry's name; `.` and `:` give it hierarchy (`payments.checkout.timeout_ms`). */
export const configNameSchema = z.string().check(
  z.minLength(1, 'A name needs at least 1 character.'),
  z.maxLength(limits.nameMaxLength, `A name has at most ${limits.nameMaxLength} characters.`),
  z.regex(namePattern, 'A name uses only A-Z a-z 0-9 . _ : - and starts with a letter or a digit.'),
  z.refine((name) => !reservedNames.has(name), {
    message: 'This name is reserved: GET /config/diff compares two points in time.',
  }),
);
