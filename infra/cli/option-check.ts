import { parseArgs } from 'node:util';
import type { OptionSpec, OptionTable } from './args.ts';
import { UsageError } from './errors.ts';

type OptionValue = string | boolean | undefined;

export interface ParsedLine {
  readonly values: Record<string, OptionValue>;
  readonly positionals: string[];
}

/**
 * Parses argv against `options` and refuses, in a message of our own, what the command does not
 * take: an unknown option (with the nearest known one), an option without its value, a value
 * given to a flag. Node's strict mode would refuse the same, in sentences that do not fit ours.
 * `helpCommand` names the help that lists the options: `config-ledger <helpCommand> --help`.
 */
export function parseChecked(
  argv: readonly string[],
  options: OptionTable,
  helpCommand: string | undefined,
): ParsedLine {
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options: toParseArgsOptions(options),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const problem = problemWith(token, options);
    if (problem !== undefined) {
      const help = helpCommand ? `config-ledger ${helpCommand} --help` : 'config-ledger --help';
      throw new UsageError(`${problem} Run '${help}' for the options.`);
    }
  }
  return { values: values as Record<string, OptionValue>, positionals };
}

export function toParseArgsOptions(options: OptionTable) {
  return Object.fromEntries(
    Object.entries(options).map(([name, spec]) => [
      name,
      spec.short ? { type: spec.type, short: spec.short } : { type: spec.type },
    ]),
  );
}

interface OptionToken {
  readonly name: string;
  readonly rawName: string;
  readonly value?: string | undefined;
  readonly inlineValue?: boolean | undefined;
}

function problemWith(token: OptionToken, options: OptionTable): string | undefined {
  const spec = options[token.name];
  if (spec === undefined) return unknownOption(token.rawName, options);
  if (spec.type === 'boolean') {
    return token.value === undefined
      ? undefined
      : `Option '${token.rawName}' takes no value: write ${token.rawName} alone, not ${token.rawName}=${token.value}.`;
  }
  if (token.value === undefined) {
    return `Option '${token.rawName}' needs a value: ${token.rawName} ${placeholder(spec)}.`;
  }
  if (!token.inlineValue && token.value.startsWith('-') && token.value !== '-') {
    return `Option '${token.rawName}' needs a value, but '${token.value}' after it looks like an option. If '${token.value}' is the value, write ${token.rawName}=${token.value}.`;
  }
  return undefined;
}

function unknownOption(rawName: string, options: OptionTable): string {
  if (/^-\d/.test(rawName)) {
    return `'${rawName}' is read as an option: a value starting with '-' goes after '--', as in '… -- ${rawName}'.`;
  }
  const typed = rawName.replace(/^-+/, '');
  // A third of the letters may differ: --limt is --limit, but --bogus is nothing.
  const tolerance = Math.max(1, Math.floor(typed.length / 3));
  const [nearest] = Object.keys(options)
    .map((name) => ({ name, distance: editDistance(typed, name) }))
    .filter(({ distance }) => distance <= tolerance)
    .sort((a, b) => a.distance - b.distance)
    .map(({ name }) => name);
  return `Unknown option '${rawName}'.${nearest ? ` Did you mean '--${nearest}'?` : ''}`;
}

function placeholder(spec: OptionSpec): string {
  return `<${spec.placeholder ?? 'value'}>`;
}

/** Levenshtein distance: how many one-letter edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
