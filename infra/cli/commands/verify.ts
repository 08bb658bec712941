import { writeFile } from 'node:fs/promises';
import * as z from 'zod';
import type { HttpClient } from '#client/http.ts';
import { type ChainHead, ChainVerifier, type PinnedHash } from '#domain/chain-verifier.ts';
import type { Commit, ConfigEvent } from '#domain/events.ts';
import { trustedJsonText } from '#domain/json.ts';
import type { Command } from '../command.ts';
import { TamperingFoundError, UsageError } from '../errors.ts';
import { readSource } from '../input.ts';
import { parseUserJson, stringifyExact } from '../json.ts';
import { type Change, changeFeedPageSchema, decode } from '../responses.ts';

/** What --write-heads writes and --expect-heads reads: every name's head, at a revision. */
const headsFileSchema = z.object({
  revision: z.number().int().min(0),
  heads: z.array(
    z.object({
      name: z.string(),
      version: z.number().int().min(1),
      revision: z.number().int().min(1),
      hash: z.string().optional(),
    }),
  ),
});

export const verifyCommand: Command = {
  name: 'verify',
  summary: "Recompute every name's hash chain from the change feed, on this machine.",
  description:
    "Reads the whole change feed and checks each event's hash, each link to its name's previous event, and that each name's versions have no gaps, trusting nothing the server computed (that the log's revisions have none is GET /verify's to check: the feed leaves out commits a caller is not shown). --write-heads records every name's head hash; --expect-heads checks that each head recorded earlier is still there, unchanged. Exits 7 when anything is wrong.",
  arguments: [],
  options: {
    'expect-heads': {
      type: 'string',
      placeholder: 'path',
      description: "Heads written by an earlier --write-heads ('-' for stdin): each must be found.",
    },
    'write-heads': {
      type: 'string',
      placeholder: 'path',
      description: "Write every name's head (version, revision, hash) to a file, to pin them.",
    },
  },
  examples: [
    'config-ledger verify --write-heads heads.json',
    'config-ledger verify --expect-heads heads.json',
  ],
  async run({ args, api, out, io }) {
    const expected = args.string('expect-heads');
    const pins = expected === undefined ? [] : pinsOf(await readSource(expected, io), expected);
    // The feed leaves out commits this caller is not shown (schema changes, other prefixes): the
    // log's dense revisions are GET /verify's to check, every name's chain is checked here.
    const verifier = new ChainVerifier({ pins, denseRevisions: false });
    await out.withProgress('Verifying…', (say) =>
      followFeed(api, (commits) => {
        for (const commit of commits) verifier.addCommit(commit);
        say(`Verifying… revision ${commits.at(-1)?.revision ?? 0}`);
      }),
    );
    const summary = verifier.summary();
    const heads = verifier.headsFollowed();
    const path = args.string('write-heads');
    if (path !== undefined) await writeHeads(path, { revision: summary.revision, heads });
    if (out.json) out.raw(`${stringifyExact({ ...summary, heads })}\n`);
    else {
      out.line(
        `Verified ${summary.commits} commits, ${summary.events} events, up to revision ${summary.revision}${summary.unchained > 0 ? ` (${summary.unchained} written before events were chained)` : ''}.`,
      );
      if (summary.findingCount === 0) out.line('Every chain holds.');
      else {
        out.table(
          ['kind', 'revision', 'name', 'version', 'what'],
          summary.findings.map((finding) => [
            finding.kind,
            String(finding.revision),
            finding.name ?? '-',
            finding.version === undefined ? '-' : String(finding.version),
            finding.message,
          ]),
        );
      }
    }
    if (summary.findingCount > 0) {
      throw new TamperingFoundError(
        `${summary.findingCount} finding${summary.findingCount === 1 ? '' : 's'}: the history is not what was written.`,
      );
    }
  },
};

/** Reads the feed from the start to its end, handing over its commits whole, page by page. */
async function followFeed(api: HttpClient, onPage: (commits: Commit[]) => void): Promise<void> {
  let after = 0;
  for (;;) {
    const response = await api.send({
      method: 'GET',
      path: '/changes',
      query: { after: String(after), limit: '1000' },
    });
    const page = decode(changeFeedPageSchema, response.text);
    onPage(commitsOf(page.changes));
    if (!page.more || page.revision === after) return;
    after = page.revision;
  }
}

/** The feed's changes grouped back into their commits (a commit's changes share a revision). */
function commitsOf(changes: readonly Change[]): Commit[] {
  const commits: Commit[] = [];
  for (const change of changes) {
    const event = eventOf(change);
    const last = commits.at(-1);
    if (last?.revision === event.revision) (last.events as ConfigEvent[]).push(event);
    else {
      const { revision, occurredAt, actor } = event;
      commits.push({ revision, occurredAt, actor, commitId: '', events: [event] });
    }
  }
  return commits;
}

/**
 * An event as the feed shows it, its value back as the JSON text the service stored: the service
 * stores values with no whitespace and numbers exactly as written, which is what stringifyExact
 * writes from what the feed's exact parse read.
 */
function eventOf(change: Change): ConfigEvent {
  const { value, ...rest } = change;
  return (
    change.type === 'ConfigValueSet'
      ? { ...rest, value: trustedJsonText(stringifyExact(value)) }
      : rest
  ) as ConfigEvent;
}

function pinsOf(text: string, source: string): PinnedHash[] {
  const parsed = headsFileSchema.safeParse(parseUserJson(text, `'${source}'`));
  if (!parsed.success) {
    throw new UsageError(`'${source}' is not a heads file: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data.heads.flatMap(({ name, version, hash }) =>
    hash === undefined ? [] : [{ name, version, hash }],
  );
}

async function writeHeads(path: string, heads: { revision: number; heads: ChainHead[] }) {
  try {
    await writeFile(path, `${JSON.stringify(heads, null, 2)}\n`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`Cannot write '${path}': ${code}.`, { cause: error });
  }
}
