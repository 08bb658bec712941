import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, tableNameOf } from '#local/config.ts';
import { type LocalStack, startLocalStack } from '#local/local-stack.ts';
import { logTable } from '#store/tables.ts';
import { apiClient } from '#test/http.ts';

/**
 * The order end to end, on the local stack in this process, with a commit's put held back on its
 * way to the table as a slow network or an SDK retrying for seconds would: what reached the old
 * time-ordered feed more than its settle window after its stamp was skipped by followers.
 */

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
let logTableName: string;
/** Names whose next commit put is held back this long before it reaches the table. */
const heldBack = new Map<string, number>();
/** Names whose next commit put reaches the table at once, but whose answer is held back. */
const answerHeldBack = new Map<string, number>();
/** The SDK's base client, which both the low-level and the document clients send through. */
const sdkClient = Object.getPrototypeOf(DynamoDBClient.prototype) as {
  send: (...args: unknown[]) => Promise<unknown>;
};
const originalSend = sdkClient.send;

beforeAll(async () => {
  const config = configFromEnv({ ...process.env, DATA_DIR: ':memory:', PORT: '0', PUSH_PORT: '0' });
  logTableName = tableNameOf(config, logTable);
  // Every client of this process sends through here, the handlers' included.
  sdkClient.send = async function send(this: unknown, ...args: unknown[]) {
    const name = committedName((args[0] as { input?: CommandInput }).input);
    const delayMs = name === undefined ? undefined : heldBack.get(name);
    if (name !== undefined && delayMs !== undefined) {
      heldBack.delete(name);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    const answer = await originalSend.apply(this, args);
    const answerDelayMs = name === undefined ? undefined : answerHeldBack.get(name);
    if (name !== undefined && answerDelayMs !== undefined) {
      answerHeldBack.delete(name);
      await new Promise((resolve) => setTimeout(resolve, answerDelayMs));
    }
    return answer;
  };
  stack = await startLocalStack(config);
  api = apiClient(stack.url);
});

afterAll(async () => {
  await stack?.stop();
  sdkClient.send = originalSend;
});

interface CommandInput {
  readonly TableName?: string;
  readonly ConditionExpression?: string;
  readonly Item?: { readonly changes?: readonly { readonly name?: string }[] };
}

/** The name a commit's put on the log writes (its first change's), as the store sends it. */
function committedName(input: CommandInput | undefined) {
  if (input?.TableName !== logTableName || input.Item === undefined) return undefined;
  return input.Item.changes?.[0]?.name;
}

interface Change {
  name: string;
  version: number;
  revision: number;
}

/** A follower from a revision, by long polls, until stopped; then it drains what is left. */
function follow(after: number) {
  const seen: Change[] = [];
  let revision = after;
  let stopping = false;
  const poll = async (wait: number) => {
    const page = await api.get(`/changes?after=${revision}&limit=1000&wait=${wait}`);
    expect(page.status).toBe(200);
    seen.push(...page.body.changes);
    revision = page.body.revision;
    return page.body.changes.length;
  };
  const loop = (async () => {
    while (!stopping) await poll(1);
    while ((await poll(0)) > 0);
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return seen;
    },
  };
}

const newest = async () => (await api.get('/changes?since=9999-01-01T00:00:00Z')).body.revision;

describe('E2E: the order under a commit held back on its way to the table', () => {
  it('does not skip a write whose put arrives more than a second after its stamp', async () => {
    // Prepare
    const start = await newest();
    const follower = follow(start);
    heldBack.set('slow.write', 1_500);

    // Act: the slow write starts first; two others commit while its put is on its way.
    const slow = api.put('/config/slow.write', { value: 'late' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const fast = [
      await api.put('/config/fast.one', { value: 1 }),
      await api.put('/config/fast.two', { value: 2 }),
    ];
    const late = await slow;
    const seen = await follower.stop();

    // Assess: every acknowledged write seen once, at the revision its writer was told.
    const acknowledged = [...fast, late].map((response) => ({
      name: response.body.name,
      version: response.body.version,
      revision: response.body.revision,
    }));
    expect(acknowledged.every((ack) => ack.revision > start)).toBe(true);
    for (const ack of acknowledged) {
      expect(seen.filter((change) => change.name === ack.name)).toEqual([
        expect.objectContaining(ack),
      ]);
    }
    const revisions = seen.map((change) => change.revision);
    expect(revisions).toEqual(revisions.map((_, index) => start + index + 1));
    // The slow write lost its revision to the others and took the next one: it was never
    // placed behind a follower that had moved on.
    expect(late.body.revision).toBeGreaterThan(fast[1]?.body.revision);
  });

  it('shows a change whose acknowledgement is slow to everyone at once, and exactly once', async () => {
    // Prepare: this time the put reaches the table at once, and its answer is what is slow.
    const start = await newest();
    const follower = follow(start);
    answerHeldBack.set('acked.late', 1_500);

    // Act
    const writing = api.put('/config/acked.late', { value: 'x' });
    let seenBeforeAck = false;
    for (let tries = 0; tries < 50 && !seenBeforeAck; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const page = await api.get(`/changes?after=${start}`);
      seenBeforeAck = page.body.changes.some((c: Change) => c.name === 'acked.late');
    }
    const written = await writing;
    const seen = await follower.stop();

    // Assess: committed means visible, before the writer hears of it; and seen once.
    expect(seenBeforeAck).toBe(true);
    expect(seen.filter((change) => change.name === 'acked.late')).toEqual([
      expect.objectContaining({ version: 1, revision: written.body.revision }),
    ]);
  });
});

describe('E2E: a point in time right after a write holds the write', () => {
  it('lists a created name at its own instant, 200 times in a row', async () => {
    for (let round = 0; round < 200; round++) {
      const name = `created.at.n${round}`;
      const created = await api.put(`/config/${name}`, { value: round });
      expect(created.status).toBe(201);
      const at = encodeURIComponent(created.body.updatedAt);

      const [listed, exported, diffed, byRevision] = await Promise.all([
        api.get(`/config?prefix=${name}&at=${at}`),
        api.get(`/export?prefix=${name}&at=${at}`),
        api.get(`/config/diff?prefix=${name}&from=0&to=${at}`),
        api.get(`/config?prefix=${name}&revision=${created.body.revision}`),
      ]);

      for (const read of [listed, exported, diffed, byRevision]) {
        expect(read.status, read.text).toBe(200);
        expect(Number(read.headers.get('config-revision'))).toBeGreaterThanOrEqual(
          created.body.revision,
        );
      }
      expect(listed.body.items.map((item: { name: string }) => item.name)).toEqual([name]);
      expect(exported.body.entries.map((entry: { name: string }) => entry.name)).toEqual([name]);
      expect(diffed.body.changes).toEqual([{ name, change: 'created', toVersion: 1 }]);
      expect(byRevision.body.items).toEqual([created.body]);
    }
  }, 120_000);
});
