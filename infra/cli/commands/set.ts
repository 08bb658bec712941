import { pathOf } from '#client/http.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { jsonArgumentText } from '../input.ts';
import { parseUserJson, stringifyExact } from '../json.ts';
import { printable } from '../output.ts';
import { decode, entrySchema } from '../responses.ts';
import {
  commentOption,
  expectedVersionOption,
  idempotencyKeyOption,
  nameArgument,
} from './options.ts';

export const setCommand: Command = {
  name: 'set',
  summary: 'Set the value of an entry (creating it if needed).',
  description:
    "The value is JSON, kept exactly (12345678901234567890 and 1.0 stay as written): a string needs its quotes, '\"on\"'. Give it as an argument, '-' for standard input, or --file. A value starting with '-' goes after '--'.",
  arguments: [
    nameArgument,
    {
      name: 'value',
      description: "JSON value, or '-' to read it from standard input.",
      optional: true,
    },
  ],
  options: {
    file: {
      type: 'string',
      short: 'f',
      placeholder: 'path',
      description: 'Read the value from a file.',
    },
    'expected-version': expectedVersionOption,
    comment: commentOption,
    'idempotency-key': idempotencyKeyOption,
  },
  examples: [
    `config-ledger set feature.new_checkout '{"enabled": true, "rollout": 0.25}' --comment 'start the rollout'`,
    'config-ledger set payments.retries 3 --expected-version 2',
    'config-ledger set svc:billing:limits --file limits.json',
    'config-ledger set payments.offset -- -5',
    'echo \'"eu-west-1"\' | config-ledger set svc:billing:region -',
  ],
  async run({ args, api, out, io }) {
    const name = args.required(0, 'name');
    const typed = args.positional(1) !== undefined && args.positional(1) !== '-';
    const value = parseValue(await jsonArgumentText(args, io, { index: 1, name: 'value' }), typed);
    const response = await api.send({
      method: 'PUT',
      path: pathOf('config', name),
      body: stringifyExact({
        value,
        expectedVersion: args.integer('expected-version'),
        comment: args.string('comment'),
      }),
      headers: { 'idempotency-key': args.string('idempotency-key') },
    });
    if (out.json) return out.raw(response.text);
    const entry = decode(entrySchema, response.text);
    const replayed = response.headers.get('idempotency-replayed') === 'true';
    out.line(
      `${response.status === 201 ? 'Created' : 'Updated'} ${entry.name}: version ${entry.version}` +
        (replayed ? ' (replayed: this Idempotency-Key was already applied)' : ''),
    );
  },
};

/** The value as JSON; a bare word (on, eu-west-1) is refused with the way to store it. */
function parseValue(text: string, fromArgument: boolean): unknown {
  try {
    return parseUserJson(text, 'The value');
  } catch (error) {
    const word = text.trim();
    if (!looksLikeBareText(word)) throw error;
    const quoted = JSON.stringify(word);
    // In a shell, '"on"' keeps the double quotes that make it JSON; a word with a ' of its own
    // needs more quoting than a hint can show, so it gets the JSON alone.
    const howTo =
      fromArgument && !word.includes("'")
        ? `quote it: '${quoted}'`
        : `write it in double quotes: ${quoted}`;
    throw new UsageError(
      `The value '${printable(word)}' is not JSON. To store the string, ${howTo}.`,
      { cause: error },
    );
  }
}

/** Text that is no JSON object, array or string gone wrong: a word, a version, a host name. */
function looksLikeBareText(text: string): boolean {
  return text !== '' && !/^["{[]/.test(text) && !text.includes('\n');
}
