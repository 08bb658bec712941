import { pathOf } from '#client/http.ts';
import type { Command, Context } from '../command.ts';
import { UsageError } from '../errors.ts';
import { jsonArgumentText } from '../input.ts';
import { parseExact, parseUserJson, stringifyExact } from '../json.ts';
import type { Output } from '../output.ts';
import { commentOption, expectedVersionOption } from './options.ts';

interface Violations {
  name: string;
  violations: { path: string; message: string; schema: string }[];
}
interface SchemaAnswer {
  target: string;
  version: number;
  schema: unknown;
  checked?: number;
  violating?: Violations[];
}

type Action = (context: Context, target: string) => Promise<void>;

/** `schema set|get|list|rm|check`: JSON Schemas on names and prefixes (docs/schemas.md). */
export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Attach, show, list, detach or check JSON Schemas on names and prefixes.',
  description:
    "Actions: set <target> <schema> (attach; --force even if existing entries break it), check <target> <schema> (a dry run: which entries would break it), get <target>, list, rm <target>. A target is a name or a prefix ending in '.' or ':'. The schema is JSON, '-' for standard input, or --file.",
  arguments: [
    { name: 'action', description: 'set, check, get, list or rm.' },
    { name: 'target', description: "A name, or a prefix ending in '.' or ':'.", optional: true },
    { name: 'schema', description: "JSON Schema, or '-' for standard input.", optional: true },
  ],
  options: {
    file: {
      type: 'string',
      short: 'f',
      placeholder: 'path',
      description: 'Read the schema from a file.',
    },
    force: { type: 'boolean', description: 'set: attach even when existing entries break it.' },
    'expected-version': expectedVersionOption,
    comment: commentOption,
  },
  examples: [
    `config-ledger schema check payments. '{"type": "object", "required": ["timeoutMs"]}'`,
    'config-ledger schema set payments. --file payments.schema.json --comment "bounded timeouts"',
    'config-ledger schema get payments.',
    'config-ledger schema list',
    'config-ledger schema rm payments.',
  ],
  async run(context) {
    const action = context.args.required(0, 'action');
    if (action === 'list') return listSchemas(context);
    const run = actions[action];
    if (!run) throw new UsageError(`Unknown action '${action}': set, check, get, list or rm.`);
    return run(context, context.args.required(1, 'target'));
  },
};

const actions: Readonly<Record<string, Action>> = {
  set: (context, target) => putSchema(context, target, false),
  check: (context, target) => putSchema(context, target, true),
  get: async ({ api, out }, target) => {
    const response = await api.send({ method: 'GET', path: pathOf('schemas', target) });
    if (out.json) return out.raw(response.text);
    out.line(stringifyExact((parseExact(response.text) as SchemaAnswer).schema, 2));
  },
  rm: async ({ args, api, out }, target) => {
    const expectedVersion = args.integer('expected-version');
    const comment = args.string('comment');
    const response = await api.send({
      method: 'DELETE',
      path: pathOf('schemas', target),
      body:
        expectedVersion === undefined && comment === undefined
          ? undefined
          : stringifyExact({ expectedVersion, comment }),
    });
    if (out.json) return out.raw(response.text);
    out.line(`Detached the schema of ${target}`);
  },
};

async function listSchemas({ api, out }: Context): Promise<void> {
  const response = await api.send({ method: 'GET', path: pathOf('schemas') });
  if (out.json) return out.raw(response.text);
  const { items } = parseExact(response.text) as { items: SchemaAnswer[] };
  for (const item of items) out.line(`${item.target}\tversion ${item.version}`);
}

async function putSchema({ args, api, out, io }: Context, target: string, dryRun: boolean) {
  const schema = parseUserJson(
    await jsonArgumentText(args, io, { index: 2, name: 'schema' }),
    'The schema',
  );
  const response = await api.send({
    method: 'PUT',
    path: pathOf('schemas', target),
    query: { dryRun: dryRun ? 'true' : undefined, force: args.flag('force') ? 'true' : undefined },
    body: stringifyExact({
      schema,
      expectedVersion: args.integer('expected-version'),
      comment: args.string('comment'),
    }),
  });
  if (out.json) return out.raw(response.text);
  const answer = parseExact(response.text) as SchemaAnswer;
  out.line(
    dryRun
      ? `Checked ${answer.checked} entries under ${target}: ${answer.violating?.length ?? 0} break the schema`
      : `Attached the schema of ${target}: version ${answer.version} (checked ${answer.checked} entries)`,
  );
  printViolations(out, answer.violating ?? []);
}

function printViolations(out: Output, entries: readonly Violations[]): void {
  for (const entry of entries) {
    for (const violation of entry.violations) {
      out.line(`  ${entry.name}${violation.path || ''}: ${violation.message}`);
    }
  }
}
