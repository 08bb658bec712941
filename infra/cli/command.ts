import type { HttpClient } from '#client/http.ts';
import type { Args, CommandSyntax } from './args.ts';
import type { Io, Output } from './output.ts';

export interface Context {
  readonly args: Args;
  readonly api: HttpClient;
  readonly out: Output;
  readonly io: Io;
}

/** One sub-command: its syntax, its help, and what it does. */
export interface Command extends CommandSyntax {
  readonly summary: string;
  /** More than the summary, for the command's --help. */
  readonly description?: string;
  readonly examples: readonly string[];
  run(context: Context): Promise<void>;
}
