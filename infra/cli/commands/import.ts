import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { readSource } from '../input.ts';
import { parseUserJson, stringifyExact } from '../json.ts';
import { type Output, printable, versionCell } from '../output.ts';
import { type ChangeSummary, decode, importResultSchema } from '../responses.ts';

export const importCommand: Command = {
  name: 'import',
  summary: "Apply a document written by 'export': one ordinary change per differing entry.",
  description:
    'The API checks the whole document before writing anything. --dry-run shows what would change and writes nothing.',
  arguments: [{ name: 'file', description: "The export document, or '-' for standard input." }],
  options: {
    'dry-run': { type: 'boolean', description: 'Show what would change; write nothing.' },
    comment: {
      type: 'string',
      placeholder: 'text',
      description: 'Recorded with every change the import makes.',
    },
  },
  examples: [
    'config-ledger import config.json --dry-run',
    "config-ledger export --url https://staging.example.com | config-ledger import - --comment 'copy staging'",
  ],
  async run({ args, api, out, io }) {
    const source = args.required(0, 'file');
    const dryRun = args.flag('dry-run');
    const response = await api.send({
      method: 'POST',
      path: '/import',
      query: { dryRun },
      body: importBody(await readSource(source, io), args.string('comment')),
      timeoutMs: 300_000,
    });
    if (out.json) return out.raw(response.text);
    const result = decode(importResultSchema, response.text);
    const changed = result.changes.filter((change) => change.change !== 'unchanged');
    if (changed.length > 0) {
      out.table(
        ['name', 'change', 'from', 'to'],
        changed.map((change) => [
          change.name,
          printable(change.change),
          versionCell(change.fromVersion),
          versionCell(change.toVersion),
        ]),
      );
    }
    summarize(out, result.dryRun, result.changes);
  },
};

/** The document as read, or with the comment added; numbers stay exactly as written. */
function importBody(text: string, comment: string | undefined): string {
  const document = parseUserJson(text, 'The import document');
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new UsageError("The import document must be a JSON object, as 'export' writes.");
  }
  return comment === undefined ? text : stringifyExact({ ...document, comment });
}

function summarize(out: Output, dryRun: boolean, changes: readonly ChangeSummary[]): void {
  const count = (kind: string) => changes.filter((change) => change.change === kind).length;
  const [create, update, unchanged] = [count('create'), count('update'), count('unchanged')];
  out.line(
    dryRun
      ? `Dry run, nothing written: ${create} to create, ${update} to update, ${unchanged} unchanged.`
      : `Imported: ${create} created, ${update} updated, ${unchanged} unchanged.`,
  );
}
