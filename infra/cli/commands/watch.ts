import { ChangeFollower, type FeedPageReader, type FeedPosition } from '#client/change-follower.ts';
import type { HttpClient } from '#client/http.ts';
import type { Args } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { compactJson, stringifyExact } from '../json.ts';
import { type Output, printable } from '../output.ts';
import { type Change, changeFeedSchema, changeSchema, check, decode } from '../responses.ts';

/** The API holds a long poll at most this long (below API Gateway's 30 s timeout). */
const maxWaitSeconds = 20;
const pageSizeMax = 1000;

export const watchCommand: Command = {
  name: 'watch',
  summary: 'Follow changes to every entry as they happen, until Ctrl-C.',
  description:
    'Long-polls the change feed, so an idle watch costs one request per --wait seconds. Starts now, after a revision (--after), at an instant (--since) or at the beginning (--from-start). Every change carries its revision; a watch never misses one and never shows one twice. When the service cannot be reached it tries again, waiting longer each time, and goes on exactly where it was. On exit (Ctrl-C or --count) it prints the revision to resume after. With --json, prints one JSON change per line.',
  arguments: [],
  options: {
    after: {
      type: 'string',
      placeholder: 'revision',
      description: 'Start after this revision (default: changes from now on).',
    },
    since: {
      type: 'string',
      placeholder: 'timestamp',
      description:
        'Start at the first change at or after this instant (ISO-8601 with a zone); not with --after.',
    },
    'from-start': { type: 'boolean', description: 'Start at the first change ever made.' },
    count: { type: 'string', placeholder: 'n', description: 'Stop after n changes.' },
    wait: {
      type: 'string',
      placeholder: 'seconds',
      description: `How long each poll waits for a change (1–${maxWaitSeconds}, default ${maxWaitSeconds}).`,
    },
  },
  examples: [
    'config-ledger watch',
    'config-ledger watch --since 2026-11-27T09:00:00Z',
    'config-ledger watch --json --count 10 --after 1042',
  ],
  async run({ args, api, out }) {
    const count = args.integer('count', 1);
    const wait = args.integer('wait', 1) ?? maxWaitSeconds;
    if (wait > maxWaitSeconds) throw new UsageError(`--wait is at most ${maxWaitSeconds} seconds.`);
    const pageSize = Math.min(count ?? pageSizeMax, pageSizeMax);
    const follower = new Follower(api, out, startOf(args), wait, pageSize);
    if (!out.json) out.note(`Watching ${api.baseUrl.origin} for changes (Ctrl-C to stop)…`);
    const stop = () => {
      out.note(follower.resumeHint());
      process.exit(130);
    };
    process.once('SIGINT', stop);
    try {
      await follower.follow(count, (change) => printChange(out, change));
    } finally {
      process.off('SIGINT', stop);
    }
    out.note(follower.resumeHint());
  },
};

function startOf(args: Args): FeedPosition {
  const after = args.integer('after', 0);
  const since = args.string('since');
  const given = [after !== undefined, since !== undefined, args.flag('from-start')];
  if (given.filter(Boolean).length > 1) {
    throw new UsageError(
      '--after, --since and --from-start all say where to start: pass one of them.',
    );
  }
  if (after !== undefined) return { after };
  if (since !== undefined) return { since };
  if (args.flag('from-start')) return { after: 0 };
  return { since: new Date().toISOString() };
}

/**
 * Follows the feed with the client's follower (each change once, in revision order, riding out
 * outages with jittered backoff), reading each page with exact numbers for printing.
 */
class Follower {
  private readonly feed: ChangeFollower<ExactChange>;

  constructor(api: HttpClient, out: Output, start: FeedPosition, wait: number, pageSize: number) {
    this.feed = new ChangeFollower(readPage(api, wait, pageSize), start, {
      onRetry: (error, delayMs) =>
        out.note(`${(error as Error).message} Trying again in ${secondsOf(delayMs)} s…`),
    });
  }

  resumeHint(): string {
    const revision = this.feed.revision;
    return revision === undefined
      ? 'Nothing seen yet: start again the same way.'
      : `Resume with --after ${revision}`;
  }

  async follow(count: number | undefined, print: (change: unknown) => void): Promise<void> {
    if (count === 0) return;
    let printed = 0;
    for await (const change of this.feed.changes()) {
      print(change.body);
      printed += 1;
      if (printed === count) return;
    }
  }
}

/** A change as the feed sent it (exact numbers), with the revision the follower orders by. */
interface ExactChange {
  readonly revision: number;
  readonly body: unknown;
}

function readPage(api: HttpClient, wait: number, pageSize: number): FeedPageReader<ExactChange> {
  return async (position, signal) => {
    const response = await api.send({
      method: 'GET',
      path: '/changes',
      query: { ...position, limit: pageSize, wait },
      timeoutMs: (wait + 10) * 1000,
      signal,
    });
    const feed = decode(changeFeedSchema, response.text);
    const changes = feed.changes.map((body) => ({
      revision: check(changeSchema, body).revision,
      body,
    }));
    return { changes, revision: feed.revision };
  };
}

function printChange(out: Output, change: unknown): void {
  out.line(out.json ? stringifyExact(change) : describeChange(check(changeSchema, change)));
}

export function describeChange(change: Change): string {
  const what =
    (change.type === 'ConfigValueDeleted' ? 'deleted' : `set ${compactJson(change.value)}`) +
    (change.restoredVersion === undefined ? '' : ` (revert to ${change.restoredVersion})`);
  const comment = change.comment ? `  # ${printable(change.comment)}` : '';
  return `r${change.revision}  ${change.occurredAt}  ${change.name}  v${change.version}  ${what}  by ${printable(change.actor)}${comment}`;
}

/** A pause in words: tenths while short (a first retry may come at once), whole seconds after. */
function secondsOf(ms: number): string {
  return ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
}
