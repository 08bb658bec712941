import type { Command } from '../command.ts';
import { PartialImportError } from '../errors.ts';
import { readSource } from '../input.ts';
import { userDocument } from '../json.ts';
import { type Output, printable, versionCell } from '../output.ts';
import { type ChangeSummary, decode, importResultSchema } from '../responses.ts';

export const importCommand: Command = {
  name: 'import',
  summary: "Apply a document written by 'export': one ordinary change per differing entry.",
  description:
    'The API checks the whole document before writing anything. --dry-run shows what would change and writes nothing. Each change expects the version the plan saw: an entry changed meanwhile is not overwritten but reported as a conflict (exit 3).',
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
    const { body, entries } = importBody(await readSource(source, io), args.string('comment'));
    const doing = dryRun ? 'Checking' : 'Importing';
    const response = await out.withProgress(`${doing} ${entries} entries…`, () =>
      api.send({ method: 'POST', path: '/import', query: { dryRun }, body, timeoutMs: 300_000 }),
    );
    const result = decode(importResultSchema, response.text);
    if (out.json) out.raw(response.text);
    else printResult(out, result.dryRun, result.changes);
    const conflicts = result.changes.filter((change) => change.change === 'conflict');
    if (conflicts.length > 0) {
      throw new PartialImportError(
        `${conflicts.length} entries changed while importing and were not overwritten: ${conflicts.map((change) => change.name).join(', ')}. Review them, then import again.`,
      );
    }
  },
};

/** The document to send, and how many entries it holds, for the progress line; the API checks the rest. */
function importBody(text: string, comment: string | undefined) {
  const { body, document } = userDocument(text, 'The import document', comment);
  const listed = document.entries;
  return { body, entries: Array.isArray(listed) ? listed.length : 0 };
}

/** A table of what changes (not what stays), then the counts. */
function printResult(out: Output, dryRun: boolean, changes: readonly ChangeSummary[]): void {
  const changed = changes.filter((change) => change.change !== 'unchanged');
  if (changed.length > 0) {
    // A dry run writes nothing, so it has no version to tell.
    out.table(
      dryRun ? ['name', 'change', 'from'] : ['name', 'change', 'from', 'to'],
      changed.map((change) =>
        [
          change.name,
          printable(change.change),
          versionCell(change.fromVersion),
          versionCell(change.toVersion),
        ].slice(0, dryRun ? 3 : 4),
      ),
    );
  }
  const count = (kind: string) => changes.filter((change) => change.change === kind).length;
  const [create, update, unchanged, conflict] = ['create', 'update', 'unchanged', 'conflict'].map(
    count,
  );
  out.line(
    dryRun
      ? `Dry run, nothing written: ${create} to create, ${update} to update, ${unchanged} unchanged.`
      : `Imported: ${create} created, ${update} updated, ${unchanged} unchanged${conflict ? `, ${conflict} in conflict` : ''}.`,
  );
}
