import * as z from 'zod';
import { limits } from './limits.ts';

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** Paths under /config/ that are routes of their own, so they cannot be entry names. */
const reservedNames = new Set(['diff']);

/** A configuration entry's name; `.` and `:` give it hierarchy (`payments.checkout.timeout_ms`). */
export const configNameSchema = z
  .string()
  .min(1, 'A name needs at least 1 character.')
  .max(limits.nameMaxLength, `A name has at most ${limits.nameMaxLength} characters.`)
  .regex(namePattern, 'A name uses only A-Z a-z 0-9 . _ : - and starts with a letter or a digit.')
  .refine((name) => !reservedNames.has(name), {
    message: 'This name is reserved: GET /config/diff compares two points in time.',
  });
