import { pathOf } from '#client/http.ts';
import type { Command } from '../command.ts';
import { decode, entrySchema } from '../responses.ts';
import { nameArgument, valueOption } from './options.ts';

export const atCommand: Command = {
  name: 'at',
  summary: 'Read an entry as it was at an instant (time travel).',
  description:
    "Exits 2 when the entry did not exist, or was deleted, at that instant. For every entry at an instant, use 'list --at'.",
  arguments: [
    nameArgument,
    {
      name: 'timestamp',
      description: 'ISO-8601 with a zone: 2026-02-12T10:00:00Z, 2026-02-12T11:00:00.250+01:00.',
    },
  ],
  options: { value: valueOption },
  examples: [
    'config-ledger at feature.new_checkout 2026-11-27T10:00:00Z',
    'config-ledger at feature.new_checkout 2026-11-27T10:00:00Z --value',
  ],
  async run({ args, api, out }) {
    const response = await api.send({
      method: 'GET',
      path: pathOf('config', args.required(0, 'name'), 'at', args.required(1, 'timestamp')),
    });
    if (args.flag('value')) return out.value(decode(entrySchema, response.text));
    if (out.json) return out.raw(response.text);
    out.entry(decode(entrySchema, response.text));
  },
};
