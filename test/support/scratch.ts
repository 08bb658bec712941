import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';

/** A fresh folder for one use, inside the run's scratch root (gone when the run ends). */
export function scratchDir(purpose: string): Promise<string> {
  return mkdtemp(join(inject('scratchRoot'), `${purpose}-`));
}
