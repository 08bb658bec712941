import { pathOf } from '#client/http.ts';
import type { Command } from '../command.ts';
import { compactJson } from '../json.ts';
import { printable } from '../output.ts';
import { decode, type HistoryEvent, historySchema } from '../responses.ts';
import { limitOption, nameArgument, nextTokenOption } from './options.ts';

export const historyCommand: Command = {
  name: 'history',
  summary: 'Show every version of an entry, oldest first: who, when, why.',
  description: 'Exits 2 when the name never existed.',
  arguments: [nameArgument],
  options: { limit: limitOption, 'next-token': nextTokenOption },
  examples: ['config-ledger history feature.new_checkout --limit 20'],
  async run({ args, api, out }) {
    const response = await api.send({
      method: 'GET',
      path: pathOf('config', args.required(0, 'name'), 'history'),
      query: { limit: args.integer('limit', 1), nextToken: args.string('next-token') },
    });
    if (out.json) return out.raw(response.text);
    const history = decode(historySchema, response.text);
    out.table(
      ['version', 'revision', 'change', 'when', 'by', 'value', 'comment'],
      history.events.map((event) => [
        String(event.version),
        String(event.revision),
        changeOf(event),
        event.occurredAt,
        printable(event.actor),
        event.type === 'ConfigValueDeleted' ? '-' : compactJson(event.value),
        printable(event.comment ?? ''),
      ]),
    );
    out.nextPage(history.nextToken);
  },
};

/** `set`, `deleted`, or `revert to 2` for a revert; any newer type as the API names it. */
export function changeOf(event: Pick<HistoryEvent, 'type' | 'restoredVersion'>): string {
  if (event.restoredVersion !== undefined) return `revert to ${event.restoredVersion}`;
  if (event.type === 'ConfigValueSet') return 'set';
  if (event.type === 'ConfigValueDeleted') return 'deleted';
  return printable(event.type);
}
