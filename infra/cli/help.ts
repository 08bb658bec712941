import { globalOptions, type OptionTable } from './args.ts';
import type { Command } from './command.ts';
import { exitCodeTable } from './errors.ts';

/** The exit code table, each meaning wrapped under its own indent: scripts branch on these. */
export function exitCodeLines(): string[] {
  return exitCodeTable.flatMap(({ code, meaning }) =>
    wrap(meaning, 72).map(
      (text, index) => `  ${index === 0 ? String(code).padStart(3) : '   '}  ${text}`,
    ),
  );
}

/** Words in lines of at most `width` characters (a longer word keeps its own line). */
function wrap(text: string, width: number): string[] {
  const wrapped: string[] = [];
  for (const word of text.split(' ')) {
    const last = wrapped.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) {
      wrapped[wrapped.length - 1] = `${last} ${word}`;
    } else wrapped.push(word);
  }
  return wrapped;
}

export function generalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return lines([
    'config-ledger: the command-line client of the config-ledger API.',
    '',
    'Usage: config-ledger <command> [arguments] [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options for every command:',
    ...optionLines(globalOptions),
    '',
    'Exit codes:',
    ...exitCodeLines(),
    '',
    "Run 'config-ledger <command> --help' for a command's arguments, options and examples.",
  ]);
}

export function commandHelp(command: Command): string {
  const usage = command.arguments.map((argument) =>
    argument.optional ? `[<${argument.name}>]` : `<${argument.name}>`,
  );
  const width = Math.max(0, ...command.arguments.map((argument) => argument.name.length + 2));
  return lines([
    `Usage: config-ledger ${[command.name, ...usage].join(' ')} [options]`,
    '',
    command.summary,
    ...(command.description ? ['', command.description] : []),
    ...section(
      'Arguments:',
      command.arguments.map(
        (argument) => `  ${`<${argument.name}>`.padEnd(width)}  ${argument.description}`,
      ),
    ),
    ...section('Options:', optionLines(command.options)),
    ...section('Options for every command:', optionLines(globalOptions)),
    ...section(
      'Examples:',
      command.examples.map((example) => `  ${example}`),
    ),
  ]);
}

function optionLines(options: OptionTable): string[] {
  const entries = Object.entries(options).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '';
    const value = spec.type === 'string' ? ` <${spec.placeholder ?? 'value'}>` : '';
    return [`${short}--${name}${value}`, spec.description] as const;
  });
  const width = Math.max(0, ...entries.map(([flag]) => flag.length));
  return entries.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`);
}

function section(title: string, body: readonly string[]): string[] {
  return body.length === 0 ? [] : ['', title, ...body];
}

function lines(text: readonly string[]): string {
  return `${text.join('\n')}\n`;
}
