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
    'Long-polls the change feed, so an idle watch costs one request per --wait seconds. Starts from the beginning of the feed, after a cursor (--after), or at an instant (--since). With --json, prints one JSON change per line. With --count, stops after that many changes and prints the cursor to resume from (--after).',
  arguments: [],
  options: {
    after: {
      type: 'string',
      placeholder: 'cursor',
      description: 'Start after this cursor (default: from the start of the feed).',
    },
    since: {
      type: 'string',
      placeholder: 'timestamp',
      description:
        'Start at the first change at or after this instant (ISO-8601 with a zone); not with --after.',
    },
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
    'config-ledger watch --json --count 10 --after "$CURSOR"',
  ],
  async run({ args, api, out }) {
    const count = args.integer('count', 1);
    const wait = args.integer('wait', 1) ?? maxWaitSeconds;
    if (wait > maxWaitSeconds) throw new UsageError(`--wait is at most ${maxWaitSeconds} seconds.`);
    const since = sinceOption(args);
    let cursor = args.string('after');
    let printed = 0;
    if (!out.json) out.note(`Watching ${api.baseUrl.origin} for changes (Ctrl-C to stop)…`);
    while (count === undefined || printed < count) {
      const response = await api.send({
        method: 'GET',
        path: '/changes',
        query: {
          // The instant starts the feed; from the first answer on, its cursor carries on.
          ...(cursor === undefined ? { since } : { after: cursor }),
          // Never more than asked for: the cursor then points right after the last one printed.
          limit: count === undefined ? undefined : Math.min(count - printed, pageSizeMax),
          wait,
        },
        timeoutMs: (wait + 10) * 1000,
      });
      const feed = decode(changeFeedSchema, response.text);
      for (const change of feed.changes) printChange(out, change);
      printed += feed.changes.length;
      cursor = feed.cursor;
    }
    out.note(`Resume with --after ${cursor}`);
  },
};

/** The instant to start at: --since and --after both say where to start, so one at most. */
function sinceOption(args: Args): string | undefined {
  const since = args.string('since');
  if (since !== undefined && args.string('after') !== undefined) {
    throw new UsageError('--since and --after both say where to start: pass one of them.');
  }
  return since;
}

function printChange(out: Output, change: unknown): void {
  out.line(out.json ? stringifyExact(change) : describeChange(check(changeSchema, change)));
}

export function describeChange(change: Change): string {
  const what =
    (change.type === 'ConfigValueDeleted' ? 'deleted' : `set ${compactJson(change.value)}`) +
    (change.restoredVersion === undefined ? '' : ` (revert to ${change.restoredVersion})`);
  const comment = change.comment ? `  # ${printable(change.comment)}` : '';
  return `${change.occurredAt}  ${change.name}  v${change.version}  ${what}  by ${printable(change.actor)}${comment}`;
}
