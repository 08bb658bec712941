import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpClient } from '#client/http.ts';
import { isTransient } from '#client/retry.ts';
import type { Args } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { compactJson, stringifyExact } from '../json.ts';
import { type Output, printable } from '../output.ts';
import { type Change, changeFeedSchema, changeSchema, check, decode } from '../responses.ts';

/** The API holds a long poll at most this long (below API Gateway's 30 s timeout). */
const maxWaitSeconds = 20;
const pageSizeMax = 1000;
/** Longest pause between two attempts to reach a service that does not answer. */
const maxReconnectDelayMs = 30_000;

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
    const follower = new Follower(api, out, startOf(args), wait);
    if (!out.json) out.note(`Watching ${api.baseUrl.origin} for changes (Ctrl-C to stop)…`);
    const stop = () => {
      out.note(follower.resumeHint());
      process.exit(130);
    };
    process.once('SIGINT', stop);
    try {
      await follower.follow(count);
    } finally {
      process.off('SIGINT', stop);
    }
    out.note(follower.resumeHint());
  },
};

/** Where a watch starts: after a revision, at an instant. */
type Start = { after: number } | { since: string };

function startOf(args: Args): Start {
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

/** Follows the feed by revision, reconnecting after failures that retrying can mend. */
class Follower {
  private revision: number | undefined;
  private failures = 0;

  constructor(
    private readonly api: HttpClient,
    private readonly out: Output,
    private start: Start,
    private readonly wait: number,
  ) {
    if ('after' in start) this.revision = start.after;
  }

  resumeHint(): string {
    return this.revision === undefined
      ? 'Nothing seen yet: start again the same way.'
      : `Resume with --after ${this.revision}`;
  }

  async follow(count: number | undefined): Promise<void> {
    let printed = 0;
    while (count === undefined || printed < count) {
      const limit = count === undefined ? undefined : Math.min(count - printed, pageSizeMax);
      const changes = await this.nextPage(limit);
      for (const change of changes) printChange(this.out, change);
      printed += changes.length;
    }
  }

  private async nextPage(limit: number | undefined): Promise<unknown[]> {
    try {
      const response = await this.api.send({
        method: 'GET',
        path: '/changes',
        query: { ...this.position(), limit, wait: this.wait },
        timeoutMs: (this.wait + 10) * 1000,
      });
      const feed = decode(changeFeedSchema, response.text);
      this.revision = feed.revision;
      this.failures = 0;
      return feed.changes;
    } catch (error) {
      if (!isTransient(error)) throw error;
      await this.pauseAfter(error as Error);
      return [];
    }
  }

  /** After the first answer, always the revision it reached: the instant only starts the feed. */
  private position() {
    return this.revision === undefined ? this.start : { after: this.revision };
  }

  private async pauseAfter(error: Error): Promise<void> {
    this.failures += 1;
    const delayMs = Math.min(maxReconnectDelayMs, 500 * 2 ** (this.failures - 1));
    this.out.note(`${error.message} Trying again in ${Math.round(delayMs / 1000)} s…`);
    await sleep(delayMs * (0.5 + Math.random() / 2));
  }
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
