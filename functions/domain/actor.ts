import * as z from 'zod/mini';
import { limits } from './limits.ts';

function isPrintable(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/** Who made a change, as recorded in each event. */
export const actorSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(limits.actorMaxLength),
    z.refine(isPrintable, 'Must not contain control characters.'),
  );
