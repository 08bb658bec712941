import { pathOf } from '../client.ts';
import type { Command } from '../command.ts';
import { decode, entrySchema } from '../responses.ts';
import { nameArgument } from './options.ts';

export const getCommand: Command = {
  name: 'get',
  summary: 'Read the current value of an entry.',
  arguments: [nameArgument],
  options: {
    consistent: {
      type: 'boolean',
      description: 'Read the events (strongly consistent): see your own write, whatever the lag.',
    },
  },
  examples: [
    'config-ledger get payments.checkout.timeout_ms',
    'config-ledger get feature.new_checkout --consistent --json',
  ],
  async run({ args, api, out }) {
    const response = await api.send({
      method: 'GET',
      path: pathOf('config', args.required(0, 'name')),
      query: { consistent: args.flag('consistent') ? 'true' : undefined },
    });
    if (out.json) return out.raw(response.text);
    out.entry(decode(entrySchema, response.text));
  },
};
