import { pathOf } from '#client/http.ts';
import type { Command } from '../command.ts';
import { stringifyExact } from '../json.ts';
import { decode, deletionSchema } from '../responses.ts';
import {
  commentOption,
  expectedVersionOption,
  idempotencyKeyOption,
  nameArgument,
} from './options.ts';

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Delete an entry (its history stays).',
  description: 'Exits 2 when the entry is absent or already deleted.',
  arguments: [nameArgument],
  options: {
    'expected-version': expectedVersionOption,
    comment: commentOption,
    'idempotency-key': idempotencyKeyOption,
  },
  examples: [
    "config-ledger delete feature.other --comment 'rollout finished'",
    'config-ledger delete feature.other --expected-version 4',
  ],
  async run({ args, api, out }) {
    const expectedVersion = args.integer('expected-version');
    const comment = args.string('comment');
    const response = await api.send({
      method: 'DELETE',
      path: pathOf('config', args.required(0, 'name')),
      body:
        expectedVersion === undefined && comment === undefined
          ? undefined
          : stringifyExact({ expectedVersion, comment }),
      headers: { 'idempotency-key': args.string('idempotency-key') },
    });
    if (out.json) return out.raw(response.text);
    const deletion = decode(deletionSchema, response.text);
    out.line(`Deleted ${deletion.name}: version ${deletion.version}`);
  },
};
