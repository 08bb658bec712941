import type { Command } from '../command.ts';
import { readSource } from '../input.ts';
import { userDocument } from '../json.ts';
import { type Output, printable } from '../output.ts';
import { type ChangesetChange, changesetResultSchema, decode } from '../responses.ts';
import { idempotencyKeyOption } from './options.ts';

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Apply a changeset: set, delete and revert many entries at one revision, or none.',
  description:
    'The changeset is a JSON document: {"comment": "...", "operations": [{"op": "set", "name": "a.b", "value": 1, "expectedVersion": 3}, {"op": "delete", "name": "c"}, {"op": "revert", "name": "d", "toVersion": 2}]}, at most 100 operations, each name once. If any operation does not hold (an expected version, an entry to delete that is absent), none is applied and each failing one is named (exit 3). --dry-run checks it against the current state and writes nothing.',
  arguments: [{ name: 'file', description: "The changeset document, or '-' for standard input." }],
  options: {
    'dry-run': {
      type: 'boolean',
      description: 'Check it against the current state; write nothing.',
    },
    comment: {
      type: 'string',
      placeholder: 'text',
      description: 'Recorded with every operation that has no comment of its own.',
    },
    'idempotency-key': idempotencyKeyOption,
  },
  examples: [
    'config-ledger apply release-42.json --dry-run',
    'config-ledger apply release-42.json --comment "release 42"',
    `echo '{"operations":[{"op":"delete","name":"feature.old"},{"op":"set","name":"feature.new","value":true}]}' | config-ledger apply -`,
  ],
  async run({ args, api, out, io }) {
    const source = args.required(0, 'file');
    const dryRun = args.flag('dry-run');
    const { body } = userDocument(
      await readSource(source, io),
      'The changeset',
      args.string('comment'),
    );
    const response = await api.send({
      method: 'POST',
      path: '/changesets',
      query: { dryRun },
      body,
      headers: { 'idempotency-key': args.string('idempotency-key') },
    });
    if (out.json) {
      out.raw(response.text);
      return;
    }
    const result = decode(changesetResultSchema, response.text);
    printResult(out, result.dryRun, result.revision, result.changes);
  },
};

function printResult(
  out: Output,
  dryRun: boolean,
  revision: number,
  changes: readonly ChangesetChange[],
): void {
  out.table(
    ['name', 'change', 'version'],
    changes.map((change) => [printable(change.name), changeWord(change), String(change.version)]),
  );
  out.line(
    dryRun
      ? `Dry run, nothing written: all ${changes.length} operations hold at revision ${revision}.`
      : `Applied ${changes.length} changes at revision ${revision}.`,
  );
}

function changeWord(change: ChangesetChange): string {
  if (change.restoredVersion !== undefined) return `revert to ${change.restoredVersion}`;
  return change.type === 'ConfigValueDeleted' ? 'delete' : 'set';
}
