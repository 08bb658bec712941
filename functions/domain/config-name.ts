import * as z from 'zod';
import { limits } from './limits.ts';

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** A configuration entry's name; `.` and `:` give it hierarchy (`payments.checkout.timeout_ms`). */
export const configNameSchema = z
  .string()
  .min(1, 'A name needs at least 1 character.')
  .max(limits.nameMaxLength, `A name has at most ${limits.nameMaxLength} characters.`)
  .regex(namePattern, 'A name uses only A-Z a-z 0-9 . _ : - and starts with a letter or a digit.');

/**
 * The health check's heartbeat entry. Its leading underscore makes it unreachable through the
 * public API (no user name can start with one) and keeps it out of listings.
 */
export const heartbeatName = '_health.heartbeat';

export function isListedName(name: string): boolean {
  return namePattern.test(name);
}
