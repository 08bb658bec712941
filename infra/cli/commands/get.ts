import { pathOf } from '#client/http.ts';
import type { Command } from '../command.ts';
import { decode, entrySchema } from '../responses.ts';
import { nameArgument, valueOption } from './options.ts';

export const getCommand: Command = {
  name: 'get',
  summary: 'Read the current value of an entry.',
  description:
    "Prints the entry's version, when and by whom it was last set, then its value. With --value, only the value as one line of JSON (a string keeps its quotes), for scripts: $(config-ledger get <name> --value). Exits 2 when the entry is absent or deleted.",
  arguments: [nameArgument],
  options: {
    consistent: {
      type: 'boolean',
      description: 'Read the events (strongly consistent): see your own write, whatever the lag.',
    },
    value: valueOption,
  },
  examples: [
    'config-ledger get payments.checkout.timeout_ms',
    'config-ledger get feature.new_checkout --consistent --json',
    'timeout=$(config-ledger get payments.checkout.timeout_ms --value)',
  ],
  async run({ args, api, out }) {
    const response = await api.send({
      method: 'GET',
      path: pathOf('config', args.required(0, 'name')),
      query: { consistent: args.flag('consistent') ? 'true' : undefined },
    });
    if (args.flag('value')) return out.value(decode(entrySchema, response.text));
    if (out.json) return out.raw(response.text);
    out.entry(decode(entrySchema, response.text));
  },
};
