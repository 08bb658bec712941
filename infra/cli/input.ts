import { readFile } from 'node:fs/promises';
import type { Args } from './args.ts';
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

/**
 * JSON given on the command line: the positional argument at `index` (`-` for standard input),
 * or the file of --file, never both.
 */
export async function jsonArgumentText(
  args: Args,
  io: Io,
  argument: { index: number; name: string },
): Promise<string> {
  const given = args.positional(argument.index);
  const file = args.string('file');
  if (given !== undefined && file !== undefined) {
    throw new UsageError(
      `Give the ${argument.name} either as an argument or with --file, not both.`,
    );
  }
  if (file !== undefined) return readSource(file, io);
  if (given === undefined) {
    throw new UsageError(
      `Missing <${argument.name}>: give JSON, '-' for standard input, or --file <path>.`,
    );
  }
  return given === '-' ? io.readStdin() : given;
}
