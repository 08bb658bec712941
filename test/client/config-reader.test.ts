import { describe, expect, it } from 'vitest';
import {
  type Change,
  type ChangePage,
  type ChangeSource,
  ConfigLedgerClient,
  ConfigReader,
  NetworkError,
  NotFoundError,
} from '#client/index.ts';

const entry = (name: string, value: unknown, revision: number) => ({
  name,
  value,
  version: 1,
  revision,
  updatedAt: '2026-11-28T10:00:00.000Z',
  updatedBy: 'alice',
});

const set = (revision: number, name: string, value: unknown, version = 2): Change => ({
  name,
  version,
  revision,
  type: 'ConfigValueSet',
  value,
  occurredAt: '2026-11-28T10:00:00.000Z',
  actor: 'bob',
});

/** A client whose only answer is one listing page at revision 2. */
function clientListing() {
  const page = { revision: 2, items: [entry('app.a', 1, 1), entry('app.b', 'x', 2)] };
  return new ConfigLedgerClient({
    baseUrl: 'http://ledger.test',
    fetch: async () =>
      new Response(JSON.stringify(page), { headers: { 'config-revision': String(page.revision) } }),
  });
}

/** A source that answers from a script of pages or failures, then waits until closed. */
function scriptedSource(...script: (ChangePage | Error)[]) {
  const asked: number[] = [];
  const source: ChangeSource = {
    next: (after, signal) => {
      asked.push(after);
      const next = script.shift();
      if (next instanceof Error) return Promise.reject(next);
      if (next) return Promise.resolve(next);
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason)),
      );
    },
  };
  return { source, asked };
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Follows for a while, then stops: the errors reported meanwhile. */
async function followAWhile(reader: ConfigReader): Promise<unknown[]> {
  const errors: unknown[] = [];
  reader.subscribe(
    () => {},
    (error) => errors.push(error),
  );
  await settle();
  reader.close();
  return errors;
}

const down = new NetworkError('Cannot reach http://ledger.test: ECONNREFUSED.');
const behind = new NotFoundError(404, 'revision_not_found', 'Revision 2 is not made yet.', '{}');

describe('Class: ConfigReader', () => {
  describe('Method: subscribe', () => {
    it('applies and announces each change once, skipping what a page repeats', async () => {
      // Prepare
      const { source, asked } = scriptedSource(
        { changes: [set(3, 'app.a', 10)], revision: 3, more: false },
        // A transport that repeats itself: revision 3 again, then 4 and 5 (one commit).
        {
          changes: [set(3, 'app.a', 10), set(4, 'app.b', 'y', 2), set(4, 'app.c', true, 1)],
          revision: 4,
          more: false,
        },
      );
      const reader = await ConfigReader.load(clientListing(), { prefix: 'app.', source });
      const seen: string[] = [];

      // Act
      reader.subscribe((change) => seen.push(`r${change.revision} ${change.name}`));
      await settle();
      reader.close();

      // Assess
      expect(seen).toEqual(['r3 app.a', 'r4 app.b', 'r4 app.c']);
      expect(asked).toEqual([2, 3, 4]);
      expect(reader.revision).toBe(4);
      expect([reader.get('app.a'), reader.get('app.b'), reader.get('app.c')]).toEqual([
        10,
        'y',
        true,
      ]);
    });

    it('leaves names outside the prefix out, but moves past their revisions', async () => {
      const { source, asked } = scriptedSource({
        changes: [set(3, 'other.z', 1)],
        revision: 3,
        more: false,
      });
      const reader = await ConfigReader.load(clientListing(), { prefix: 'app.', source });
      const seen: Change[] = [];

      reader.subscribe((change) => seen.push(change));
      await settle();
      reader.close();

      expect(seen).toEqual([]);
      expect(reader.get('other.z')).toBeUndefined();
      expect(asked).toEqual([2, 3]);
    });

    it('keeps serving while the source fails, reports each failure, and resumes where it was', async () => {
      let now = 1_000;
      const { source, asked } = scriptedSource(down, down, {
        changes: [set(3, 'app.a', 10)],
        revision: 3,
        more: false,
      });
      const reader = await ConfigReader.load(clientListing(), {
        prefix: 'app.',
        source,
        reconnect: { baseDelayMs: 1, maxDelayMs: 5 },
        now: () => now,
      });

      now += 60_000;
      const stale = reader.staleness();
      const errors = await followAWhile(reader);

      expect(stale).toEqual({ revision: 2, lastContactAt: new Date(1_000), ageMs: 60_000 });
      expect(errors).toEqual([down, down]);
      expect(asked).toEqual([2, 2, 2, 3]);
      expect(reader.get('app.a')).toBe(10);
      expect(reader.staleness().ageMs).toBe(0);
    });

    it('reports a listener that throws, and goes on telling the others each change once', async () => {
      const { source, asked } = scriptedSource(
        { changes: [set(3, 'app.a', 10), set(3, 'app.b', 'y')], revision: 3, more: false },
        { changes: [set(4, 'app.a', 11)], revision: 4, more: false },
      );
      const reader = await ConfigReader.load(clientListing(), { prefix: 'app.', source });
      const broken = new Error('listener bug');
      const seen: string[] = [];
      const errors: unknown[] = [];

      reader.subscribe(() => {
        throw broken;
      });
      reader.subscribe(
        (change) => seen.push(`r${change.revision} ${change.name}`),
        (error) => errors.push(error),
      );
      await settle();
      reader.close();

      expect(seen).toEqual(['r3 app.a', 'r3 app.b', 'r4 app.a']);
      expect(errors).toEqual([broken, broken, broken]);
      expect(asked).toEqual([2, 3, 4]);
      expect(reader.get('app.a')).toBe(11);
    });

    it('retries a reload that fails like any other failure, and follows on from the snapshot it loads', async () => {
      let listings = 0;
      const client = clientListing();
      const listAll = client.listAll.bind(client);
      client.listAll = (options) => {
        listings += 1;
        return listings === 2 ? Promise.reject(down) : listAll(options);
      };
      const { source, asked } = scriptedSource(down, behind);
      const reader = await ConfigReader.load(client, {
        prefix: 'app.',
        source,
        reconnect: { baseDelayMs: 1, maxDelayMs: 5 },
      });

      const errors = await followAWhile(reader);

      // Down, then behind: the reload fails once (down), then loads; followed on from 2.
      expect(errors).toEqual([down, behind, down]);
      expect(listings).toBe(3);
      expect(asked).toEqual([2, 2, 2]);
      expect(reader.get('app.b')).toBe('x');
    });

    it('loads the snapshot again when the ledger is behind it (restored from a backup)', async () => {
      const { source, asked } = scriptedSource(behind);
      const reader = await ConfigReader.load(clientListing(), {
        prefix: 'app.',
        source,
        reconnect: { baseDelayMs: 1, maxDelayMs: 5 },
      });

      const errors = await followAWhile(reader);

      expect(errors).toEqual([behind]);
      // Asked after 2, refused; loaded again (at 2, this client's only listing); followed on.
      expect(asked).toEqual([2, 2]);
      expect(reader.get('app.b')).toBe('x');
    });
  });
});
