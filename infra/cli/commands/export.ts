import { writeFile } from 'node:fs/promises';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { parseExact, stringifyExact } from '../json.ts';
import { decode, exportSchema } from '../responses.ts';
import { atOption, prefixOption } from './options.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Write the whole configuration (now or at an instant) as one JSON document.',
  description:
    "The document is what 'import' reads. Indented by default; with --json, exactly as the API sent it.",
  arguments: [],
  options: {
    at: atOption,
    prefix: prefixOption,
    out: {
      type: 'string',
      short: 'o',
      placeholder: 'path',
      description: 'Write to a file, not stdout.',
    },
  },
  examples: [
    'config-ledger export --out config.json',
    'config-ledger export --at 2026-11-27T09:41:00Z --prefix payments. > payments.json',
  ],
  async run({ args, api, out }) {
    const query = { at: args.string('at'), prefix: args.string('prefix') };
    const response = await out.withProgress('Exporting…', () =>
      api.send({ method: 'GET', path: '/export', query, timeoutMs: 300_000 }),
    );
    const document = decode(exportSchema, response.text);
    const text = out.json ? response.text : `${stringifyExact(parseExact(response.text), 2)}\n`;
    const path = args.string('out');
    if (path === undefined) return out.raw(text);
    try {
      await writeFile(path, text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new UsageError(`Cannot write '${path}': ${code}.`, { cause: error });
    }
    if (!out.json) out.line(`Exported ${document.entries.length} entries to ${path}`);
  },
};
