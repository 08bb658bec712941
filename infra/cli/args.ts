import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';
import { parseChecked, toParseArgsOptions } from './option-check.ts';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** What the value stands for, in help (string options only). */
  readonly placeholder?: string;
  readonly description: string;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
  readonly optional?: boolean;
}

/** What the parser and the help need to know about a command. */
export interface CommandSyntax {
  readonly name: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly options: OptionTable;
}

/** Options every command accepts, before or after the command name. */
export const globalOptions = {
  url: {
    type: 'string',
    placeholder: 'url',
    description: 'Base URL of the API (default: $CONFIG_LEDGER_URL, else http://127.0.0.1:4000).',
  },
  json: { type: 'boolean', description: "Print the API's JSON response as is, for scripts." },
  token: {
    type: 'string',
    placeholder: 'jwt',
    description:
      'Send Authorization: Bearer <jwt>. Other users can read it in the process list: prefer $CONFIG_LEDGER_TOKEN or --token-file.',
  },
  'token-file': {
    type: 'string',
    placeholder: 'path',
    description: "Read the bearer token from a file, or from standard input with '-'.",
  },
  sigv4: {
    type: 'boolean',
    description: 'Sign requests with AWS SigV4 (automatic for *.execute-api.*.amazonaws.com).',
  },
  region: {
    type: 'string',
    placeholder: 'region',
    description: 'AWS region for SigV4 (default: from the host, else $AWS_REGION).',
  },
  insecure: {
    type: 'boolean',
    description:
      'Allow sending a credential over plain http:// to a host other than this machine (refused otherwise).',
  },
  help: { type: 'boolean', short: 'h', description: 'Show help.' },
  version: { type: 'boolean', description: 'Print the version of config-ledger and exit.' },
} as const satisfies OptionTable;

type OptionValue = string | boolean | undefined;

/** A command's positionals and option values, with checked accessors. */
export class Args {
  constructor(
    readonly positionals: readonly string[],
    private readonly values: Readonly<Record<string, OptionValue>>,
  ) {}

  positional(index: number): string | undefined {
    return this.positionals[index];
  }

  required(index: number, name: string): string {
    const value = this.positionals[index];
    if (value === undefined) throw new UsageError(`Missing <${name}>.`);
    return value;
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** A whole-number option, at least `min`; undefined when absent. */
  integer(name: string, min = 0): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    return parseInteger(raw, `--${name}`, min);
  }
}

export function parseInteger(raw: string, what: string, min = 0): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${what} must be a whole number, ${min} or more, not '${raw}'.`);
  }
  return value;
}

export type CommandLine<Command extends CommandSyntax> =
  | { readonly kind: 'help'; readonly command?: Command }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly command: Command; readonly args: Args };

/**
 * Parses argv (without node and the script). Options may come before or after the command name;
 * `--` ends the options, so a value may start with a dash (`set n -- -5`).
 */
export function parseCommandLine<Command extends CommandSyntax>(
  argv: readonly string[],
  commands: readonly Command[],
): CommandLine<Command> {
  const name = findCommandName(argv, commands);
  if (name === undefined || name === 'help') return helpFor(argv, commands, name);
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    throw new UsageError(`Unknown command '${name}'. Run 'config-ledger --help' for the list.`);
  }
  const { values, positionals } = parseChecked(
    argv,
    { ...globalOptions, ...command.options },
    name,
  );
  if (values.help === true) return { kind: 'help', command };
  if (values.version === true) return { kind: 'version' };
  const args = positionals.slice(1);
  checkPositionals(command, args);
  return { kind: 'run', command, args: new Args(args, values) };
}

/** The first positional, found knowing every option that takes a value. */
function findCommandName(argv: readonly string[], commands: readonly CommandSyntax[]) {
  const options = Object.assign({}, globalOptions, ...commands.map((command) => command.options));
  const { positionals } = parseArgs({
    args: [...argv],
    options: toParseArgsOptions(options),
    strict: false,
    allowPositionals: true,
  });
  return positionals[0];
}

function helpFor<Command extends CommandSyntax>(
  argv: readonly string[],
  commands: readonly Command[],
  name: string | undefined,
): CommandLine<Command> {
  const { values, positionals } = parseChecked(argv, globalOptions, undefined);
  if (name === undefined) {
    if (values.help === true) return { kind: 'help' };
    if (values.version === true) return { kind: 'version' };
    throw new UsageError("Missing command. Run 'config-ledger --help' for the list.");
  }
  const topic = positionals[1];
  if (topic === undefined) return { kind: 'help' };
  const command = commands.find((candidate) => candidate.name === topic);
  if (!command) throw new UsageError(`Unknown command '${topic}'.`);
  return { kind: 'help', command };
}

function checkPositionals(command: CommandSyntax, args: readonly string[]): void {
  const required = command.arguments.filter((argument) => !argument.optional);
  const missing = required[args.length];
  if (missing) {
    throw new UsageError(
      `Missing <${missing.name}>. Run 'config-ledger ${command.name} --help' for its usage.`,
    );
  }
  const unexpected = args[command.arguments.length];
  if (unexpected !== undefined) {
    throw new UsageError(
      `Unexpected argument '${unexpected}'. Run 'config-ledger ${command.name} --help' for its usage.`,
    );
  }
}
