import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * zod's English messages ("Invalid input: expected string, received number"), which reach
 * clients through parseInput and operators through corrupt-item errors. Classic zod sets them up
 * by itself; `zod/mini`, which the functions use for a faster cold start, leaves them out, so
 * each module whose zod messages are read imports this one for its effect. Imported by name, so
 * that a bundle holds English alone, not every locale.
 */
z.config(en());
