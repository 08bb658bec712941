import type { Command } from '../command.ts';
import { compactJson } from '../json.ts';
import { printable } from '../output.ts';
import { decode, entryPageSchema } from '../responses.ts';
import { atOption, limitOption, nextTokenOption, prefixOption } from './options.ts';

export const listCommand: Command = {
  name: 'list',
  summary: 'List entries by name, now or as they all were at an instant.',
  arguments: [],
  options: {
    prefix: prefixOption,
    at: atOption,
    limit: limitOption,
    'next-token': nextTokenOption,
  },
  examples: [
    'config-ledger list --prefix payments.',
    'config-ledger list --at 2026-11-27T09:41:00Z --json',
  ],
  async run({ args, api, out }) {
    const response = await api.send({
      method: 'GET',
      path: '/config',
      query: {
        at: args.string('at'),
        prefix: args.string('prefix'),
        limit: args.integer('limit', 1),
        nextToken: args.string('next-token'),
      },
    });
    if (out.json) return out.raw(response.text);
    const page = decode(entryPageSchema, response.text);
    if (page.at !== undefined) out.note(`As at ${page.at}:`);
    if (page.items.length === 0) out.line('No entries.');
    else {
      out.table(
        ['name', 'version', 'updated', 'by', 'value'],
        page.items.map((entry) => [
          entry.name,
          String(entry.version),
          entry.updatedAt,
          printable(entry.updatedBy),
          compactJson(entry.value),
        ]),
      );
    }
    out.nextPage(page.nextToken);
  },
};
