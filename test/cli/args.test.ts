import { describe, expect, it } from 'vitest';
import { Args, globalOptions, parseCommandLine } from '#cli/args.ts';
import { commands } from '#cli/commands/index.ts';
import { UsageError } from '#cli/errors.ts';
import { runCli } from '#cli/run.ts';

function parse(argv: string[]) {
  const line = parseCommandLine(argv, commands);
  if (line.kind !== 'run') throw new Error(`Expected a command to run, got ${line.kind}`);
  return line;
}

/** Runs the CLI in this process, with its streams captured. */
async function runInProcess(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => '',
    env: {},
  });
  return { code, stdout, stderr };
}

describe('Module: args', () => {
  describe('Function: parseCommandLine', () => {
    it('finds the command and its arguments, with options before or after it', () => {
      const line = parse([
        '--json',
        'set',
        'a.b',
        '{"x":1}',
        '--comment',
        'why',
        '--url',
        'http://h',
      ]);

      expect(line.command.name).toBe('set');
      expect(line.args.positionals).toEqual(['a.b', '{"x":1}']);
      expect(line.args.flag('json')).toBe(true);
      expect(line.args.string('comment')).toBe('why');
      expect(line.args.string('url')).toBe('http://h');
    });

    it('finds the command after an option that takes a value', () => {
      expect(parse(['--url', 'http://h', 'get', 'a']).command.name).toBe('get');
    });

    it('takes values starting with a dash after --', () => {
      expect(parse(['set', 'a', '--', '-5']).args.positionals).toEqual(['a', '-5']);
    });

    it('takes - as a positional (standard input)', () => {
      expect(parse(['set', 'a', '-']).args.positionals).toEqual(['a', '-']);
    });

    it.each([
      [['--help'], undefined],
      [['-h'], undefined],
      [['help'], undefined],
      [['help', 'diff'], 'diff'],
      [['diff', '--help'], 'diff'],
      [['diff', 'a', '-h', '--from', '1'], 'diff'],
    ])('asks for help with %j', (argv, topic) => {
      const line = parseCommandLine(argv, commands);

      expect(line.kind).toBe('help');
      expect(line.kind === 'help' ? line.command?.name : undefined).toBe(topic);
    });

    it.each([
      [[], /Missing command/],
      [['nope'], /Unknown command 'nope'/],
      [['help', 'nope'], /Unknown command 'nope'/],
      [['get'], /Missing <name>/],
      [['get', 'a', 'b'], /Unexpected argument 'b'/],
      [['get', 'a', '--comment', 'x'], /Unknown option '--comment'/],
      [['set', 'a', '--comment'], /needs a value/],
      [['list', '--json=yes'], /takes no value/],
    ])('throws a UsageError for %j', (argv, message) => {
      expect(() => parseCommandLine(argv, commands)).toThrow(UsageError);
      expect(() => parseCommandLine(argv, commands)).toThrow(message);
    });

    it.each([
      [
        ['get', 'a', '--bogus'],
        "Unknown option '--bogus'. Run 'config-ledger get --help' for the options.",
      ],
      [
        ['get', 'a', '--bogus=1'],
        "Unknown option '--bogus'. Run 'config-ledger get --help' for the options.",
      ],
      [
        ['list', '--limt', '5'],
        "Unknown option '--limt'. Did you mean '--limit'? Run 'config-ledger list --help' for the options.",
      ],
      [['--bogus'], "Unknown option '--bogus'. Run 'config-ledger --help' for the options."],
      [
        ['list', '--limit'],
        "Option '--limit' needs a value: --limit <n>. Run 'config-ledger list --help' for the options.",
      ],
      [
        ['set', 'a', '-f'],
        "Option '-f' needs a value: -f <path>. Run 'config-ledger set --help' for the options.",
      ],
      [
        ['list', '--limit', '--json'],
        "Option '--limit' needs a value, but '--json' after it looks like an option. If '--json' is the value, write --limit=--json. Run 'config-ledger list --help' for the options.",
      ],
      [
        ['get', 'a', '--consistent=true'],
        "Option '--consistent' takes no value: write --consistent alone, not --consistent=true. Run 'config-ledger get --help' for the options.",
      ],
      [
        ['set', 'a', '-5'],
        "'-5' is read as an option: a value starting with '-' goes after '--', as in '… -- -5'. Run 'config-ledger set --help' for the options.",
      ],
    ])('says in one sentence of its own what is wrong with an option: %j', (argv, message) => {
      expect(() => parseCommandLine(argv, commands)).toThrow(new UsageError(message));
    });

    it('takes --opt=value as well as --opt value, and a value starting with a dash after =', () => {
      const line = parse(['set', 'a', '1', '--comment=-x', '--expected-version=2']);

      expect(line.args.string('comment')).toBe('-x');
      expect(line.args.integer('expected-version')).toBe(2);
    });

    it.each([[['--version']], [['get', 'a', '--version']]])(
      'asks for the version with %j',
      (argv) => {
        expect(parseCommandLine(argv, commands).kind).toBe('version');
      },
    );

    it('gives each option one type, whichever command it belongs to', () => {
      const types = new Map<string, string>(
        Object.entries(globalOptions).map(([name, spec]) => [name, spec.type]),
      );
      for (const command of commands) {
        for (const [name, spec] of Object.entries(command.options)) {
          expect(types.get(name) ?? spec.type, `--${name} of ${command.name}`).toBe(spec.type);
          types.set(name, spec.type);
        }
      }
    });
  });

  describe('Class: Args', () => {
    describe('Method: integer', () => {
      it('reads a whole number, and nothing when absent', () => {
        const args = new Args([], { limit: '20' });

        expect(args.integer('limit', 1)).toBe(20);
        expect(args.integer('count')).toBeUndefined();
      });

      it.each(['', 'ten', '1.5', '-1', '0x10', '1e3', '99999999999999999999'])(
        'throws a UsageError for %j',
        (raw) => {
          expect(() => new Args([], { limit: raw }).integer('limit', 0)).toThrow(UsageError);
        },
      );

      it('throws a UsageError below the minimum', () => {
        expect(() => new Args([], { limit: '0' }).integer('limit', 1)).toThrow(/1 or more/);
      });
    });
  });
});

describe('Function: runCli', () => {
  it('prints the help of every command, with its usage, options and examples', async () => {
    for (const command of commands) {
      const result = await runInProcess([command.name, '--help']);

      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`^Usage: config-ledger ${command.name}[ \\n]`));
      expect(result.stdout).toContain('Options for every command:');
      for (const example of command.examples) {
        expect(example).toMatch(/config-ledger /);
        expect(result.stdout).toContain(example);
      }
    }
  });

  it('prints the general help with help, and fails without a command', async () => {
    const help = await runInProcess(['help']);
    const none = await runInProcess([]);

    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: config-ledger <command>');
    expect(none).toMatchObject({ code: 1, stdout: '' });
  });

  it.each([
    [['get', 'a', 'b'], "Unexpected argument 'b'"],
    [['revert', 'a', 'two'], "<version> must be a whole number, 1 or more, not 'two'"],
    [['diff', 'a'], 'Missing --from'],
    [['diff', 'a', '--from', '1', '--prefix', 'p'], '--prefix compares all entries'],
    [['watch', '--wait', '60'], '--wait is at most 20 seconds'],
    [['get', 'a', '--url', 'ftp://example.com'], 'is not an http:// or https:// URL'],
    [['import'], 'Missing <file>'],
    [['set', 'a', '{"x":'], 'The value is not valid JSON'],
    [['set', 'a', `${'['.repeat(100_000)}${']'.repeat(100_000)}`], 'nested too deeply'],
  ])('exits 1 before any request for %j', async (argv, message) => {
    const result = await runInProcess(['--url', 'http://127.0.0.1:9', ...argv]);

    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain(message);
  });
});
