import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.ts';
import type { Io } from './output.ts';

/** The text of `source`: a file path, or `-` for standard input. */
export async function readSource(source: string, io: Io): Promise<string> {
  if (source === '-') return io.readStdin();
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`Cannot read '${source}': ${code}.`, { cause: error });
  }
}
