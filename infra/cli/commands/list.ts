import type { HttpClient } from '#client/http.ts';
import type { Args } from '../args.ts';
import type { Command } from '../command.ts';
import { compactJson, stringifyExact } from '../json.ts';
import { type Output, printable } from '../output.ts';
import { check, type Entry, entryPageSchema, readBody } from '../responses.ts';
import { atOption, limitOption, nextTokenOption, prefixOption } from './options.ts';

export const listCommand: Command = {
  name: 'list',
  summary: 'List entries by name, now or as they all were at an instant.',
  description:
    'One page at a time (--limit, --next-token), or every page to the end with --all. With --all --json, one document: the first page with the items of every page and no nextToken.',
  arguments: [],
  options: {
    prefix: prefixOption,
    at: atOption,
    all: { type: 'boolean', description: 'Follow the pages to the end and list every entry.' },
    limit: limitOption,
    'next-token': nextTokenOption,
  },
  examples: [
    'config-ledger list --prefix payments.',
    'config-ledger list --all --prefix payments.',
    'config-ledger list --at 2026-11-27T09:41:00Z --all --json',
  ],
  async run({ args, api, out }) {
    const pages = args.flag('all')
      ? await out.withProgress('Listing entries…', (say) => allPages(args, api, say))
      : [await fetchPage(args, api, args.string('next-token'))];
    const last = pages.at(-1);
    if (out.json) return out.raw(pages.length === 1 ? (last?.text ?? '') : merged(pages));
    if (last?.page.at !== undefined) out.note(`As at ${last.page.at}:`);
    printEntries(
      out,
      pages.flatMap((page) => page.page.items),
    );
    out.nextPage(last?.page.nextToken);
  },
};

interface Page {
  /** The response text, as received. */
  readonly text: string;
  /** The body as sent, every field kept, numbers exact: for --all --json. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly items: readonly unknown[];
  readonly page: ReturnType<typeof entryPageSchema.parse>;
}

async function fetchPage(args: Args, api: HttpClient, nextToken: string | undefined) {
  const response = await api.send({
    method: 'GET',
    path: '/config',
    query: {
      at: args.string('at'),
      prefix: args.string('prefix'),
      limit: args.integer('limit', 1),
      nextToken,
    },
  });
  const body = readBody(response.text) as Record<string, unknown>;
  const page = check(entryPageSchema, body);
  return { text: response.text, body, items: body.items as unknown[], page };
}

/**
 * The pages as one: the first page (its revision, its instant: the pages of one listing are of
 * the same state) with every page's items, and no token since nothing is left.
 */
function merged(pages: readonly Page[]): string {
  const { nextToken: _, ...first } = pages[0]?.body ?? {};
  return stringifyExact({ ...first, items: pages.flatMap((page) => page.items) });
}

/** Every page from --next-token (or the first) to the last, saying how far it got. */
async function allPages(args: Args, api: HttpClient, say: (text: string) => void) {
  const pages: Page[] = [];
  let nextToken = args.string('next-token');
  let listed = 0;
  do {
    const page = await fetchPage(args, api, nextToken);
    pages.push(page);
    listed += page.page.items.length;
    nextToken = page.page.nextToken;
    say(`Listing entries: ${listed} so far, page ${pages.length}…`);
  } while (nextToken !== undefined);
  return pages;
}

function printEntries(out: Output, entries: readonly Entry[]): void {
  if (entries.length === 0) {
    out.line('No entries.');
    return;
  }
  out.table(
    ['name', 'version', 'updated', 'by', 'value'],
    entries.map((entry) => [
      entry.name,
      String(entry.version),
      entry.updatedAt,
      printable(entry.updatedBy),
      compactJson(entry.value),
    ]),
  );
}
