import { type HttpClient, pathOf } from '#client/http.ts';
import type { Args } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { stringifyExact } from '../json.ts';
import { type Output, printable, versionCell } from '../output.ts';
import {
  configDiffSchema,
  type DiffSide,
  decode,
  nameDiffSchema,
  type PatchOperation,
} from '../responses.ts';
import { limitOption, nextTokenOption, prefixOption } from './options.ts';

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Compare two states: of one entry (JSON Patch), or which names changed.',
  description:
    'With <name>: the RFC 6902 JSON Patch from one state of the entry to another; --from and --to are versions or timestamps, --to defaults to the current state. Without <name>: which entries were created, updated or deleted between two instants.',
  arguments: [{ name: 'name', description: 'The entry to compare; omit for all.', optional: true }],
  options: {
    from: {
      type: 'string',
      placeholder: 'version|timestamp',
      description: 'Compare from this state.',
    },
    to: {
      type: 'string',
      placeholder: 'version|timestamp',
      description: 'Compare to this state (default: the current one; without <name>, now).',
    },
    prefix: prefixOption,
    limit: limitOption,
    'next-token': nextTokenOption,
  },
  examples: [
    'config-ledger diff feature.new_checkout --from 2',
    'config-ledger diff feature.new_checkout --from 2026-11-27T09:00:00Z --to 5',
    'config-ledger diff --from 2026-11-27T00:00:00Z --to 2026-11-28T00:00:00Z --prefix payments.',
  ],
  async run({ args, api, out }) {
    const from = args.string('from');
    if (from === undefined) throw new UsageError('Missing --from <version|timestamp>.');
    const name = args.positional(0);
    if (name === undefined) return diffAll(args, api, out, from);
    if (args.string('prefix') !== undefined) {
      throw new UsageError('--prefix compares all entries; leave out <name> to use it.');
    }
    const response = await api.send({
      method: 'GET',
      path: pathOf('config', name, 'diff'),
      query: { from, to: args.string('to') },
    });
    if (out.json) return out.raw(response.text);
    const diff = decode(nameDiffSchema, response.text);
    out.line(`${diff.name}: ${describeSide(diff.from)} → ${describeSide(diff.to)}`);
    if (diff.patch.length === 0) out.line('No differences.');
    for (const operation of diff.patch) out.line(`  ${describeOperation(operation)}`);
  },
};

async function diffAll(args: Args, api: HttpClient, out: Output, from: string): Promise<void> {
  const response = await api.send({
    method: 'GET',
    path: '/config/diff',
    query: {
      from,
      // The API wants both instants; this machine's clock stands in for "now".
      to: args.string('to') ?? new Date().toISOString(),
      prefix: args.string('prefix'),
      limit: args.integer('limit', 1),
      nextToken: args.string('next-token'),
    },
  });
  if (out.json) return out.raw(response.text);
  const diff = decode(configDiffSchema, response.text);
  if (diff.changes.length === 0) out.line(`No changes from ${diff.from} to ${diff.to}.`);
  else {
    out.table(
      ['name', 'change', 'from', 'to'],
      diff.changes.map((change) => [
        change.name,
        printable(change.change),
        versionCell(change.fromVersion),
        versionCell(change.toVersion),
      ]),
    );
  }
  out.nextPage(diff.nextToken);
}

function describeSide(side: DiffSide): string {
  if (side.exists) return `version ${versionCell(side.version)}`;
  return side.version ? `deleted (version ${side.version})` : 'absent';
}

/** `replace /rollout 0.5`, `remove /beta`, `move /a from /b`; the root path shows as `""`. */
export function describeOperation(operation: PatchOperation): string {
  const path = operation.path === '' ? '""' : printable(operation.path);
  const parts = [operation.op.padEnd(7), path];
  if (operation.from !== undefined) parts.push(`from ${printable(operation.from)}`);
  if (operation.value !== undefined) parts.push(stringifyExact(operation.value));
  return parts.join(' ');
}
