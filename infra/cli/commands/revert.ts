import { pathOf } from '#client/http.ts';
import { parseInteger } from '../args.ts';
import type { Command } from '../command.ts';
import { stringifyExact } from '../json.ts';
import { decode, writeResultSchema } from '../responses.ts';
import { commentOption, expectedVersionOption, nameArgument } from './options.ts';

export const revertCommand: Command = {
  name: 'revert',
  summary: "Restore an earlier version's state as a new version (history stays).",
  description:
    'Appends a new version with the value of <version>; when <version> was a deletion, deletes the entry.',
  arguments: [nameArgument, { name: 'version', description: 'The version to restore.' }],
  options: { 'expected-version': expectedVersionOption, comment: commentOption },
  examples: [
    "config-ledger revert feature.new_checkout 2 --comment 'rollout broke checkout'",
    'config-ledger revert feature.new_checkout 2 --expected-version 5',
  ],
  async run({ args, api, out }) {
    const name = args.required(0, 'name');
    const toVersion = parseInteger(args.required(1, 'version'), '<version>', 1);
    const response = await api.send({
      method: 'POST',
      path: pathOf('config', name, 'revert'),
      body: stringifyExact({
        toVersion,
        expectedVersion: args.integer('expected-version'),
        comment: args.string('comment'),
      }),
    });
    if (out.json) return out.raw(response.text);
    const result = decode(writeResultSchema, response.text);
    if ('deleted' in result) {
      out.line(
        `Reverted ${name} to version ${toVersion} (a deletion): deleted, version ${result.version}`,
      );
      return;
    }
    out.line(`Reverted ${name} to version ${toVersion}: now version ${result.version}`);
    out.line(stringifyExact(result.value, 2));
  },
};
