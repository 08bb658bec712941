import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { useLocalStack } from '#test/local-stack-process.ts';
import { scratchDir } from '#test/scratch.ts';

const dataDir = await scratchDir('change-events');
const { api } = useLocalStack({ DATA_DIR: dataDir });
const eventsFile = join(dataDir, 'change-events.jsonl');

interface ChangeEventLine {
  'detail-type': string;
  source: string;
  detail: Record<string, unknown> & { name: string; revision: number; version: number };
}

/** The change events written so far. */
async function eventsWritten(): Promise<ChangeEventLine[]> {
  const text = await readFile(eventsFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

/** The events of revisions after `after`, once they reach `through` (the publisher is async). */
async function eventsAfter(after: number, through: number): Promise<ChangeEventLine[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = (await eventsWritten()).filter((event) => event.detail.revision > after);
    if (events.some((event) => event.detail.revision >= through) || Date.now() > deadline) {
      return events;
    }
    await sleep(25);
  }
}

const newestRevision = async () => (await api.get('/health')).body.revision as number;

describe('E2E: change events on the local stack', () => {
  it('writes one event per set, delete and revert, in revision order, without values', async () => {
    // Prepare
    const before = await newestRevision();

    // Act
    await api.put('/config/events.timeout', { value: 2500, comment: 'p99 is 1.8 s' });
    await api.put('/config/events.timeout', { value: 3000 });
    await api.delete('/config/events.timeout');
    const revert = await api.call('POST', '/config/events.timeout/revert', {
      json: { toVersion: 1, comment: 'back to 2500' },
    });

    // Assess
    const events = await eventsAfter(before, revert.body.revision);
    expect(events.map((event) => [event['detail-type'], event.detail.version])).toEqual([
      ['Config Value Set', 1],
      ['Config Value Set', 2],
      ['Config Value Deleted', 3],
      ['Config Value Set', 4],
    ]);
    expect(events.map((event) => event.detail.revision)).toEqual(
      [1, 2, 3, 4].map((step) => before + step),
    );
    expect(events[0]).toMatchObject({
      version: '0',
      source: 'config-ledger-local',
      detail: { name: 'events.timeout', actor: 'local', comment: 'p99 is 1.8 s' },
    });
    expect(events[3]?.detail).toMatchObject({ restoredVersion: 1, comment: 'back to 2500' });
    for (const event of events) expect(event.detail).not.toHaveProperty('value');
  });

  it('writes one event per change of a changeset, all at its revision, in its order', async () => {
    // Prepare
    await api.put('/config/events.cs.b', { value: 1 });
    const before = await newestRevision();

    // Act
    const response = await api.call('POST', '/changesets', {
      json: {
        comment: 'release 7',
        operations: [
          { op: 'set', name: 'events.cs.a', value: { on: true } },
          { op: 'delete', name: 'events.cs.b' },
          { op: 'set', name: 'events.cs.c', value: 'third' },
        ],
      },
    });

    // Assess
    expect(response.status).toBe(200);
    const events = await eventsAfter(before, response.body.revision);
    expect(
      events.map((event) => [event.detail.name, event['detail-type'], event.detail.revision]),
    ).toEqual([
      ['events.cs.a', 'Config Value Set', response.body.revision],
      ['events.cs.b', 'Config Value Deleted', response.body.revision],
      ['events.cs.c', 'Config Value Set', response.body.revision],
    ]);
  });

  it('has announced every change the log holds, each once, once the stream is quiet', async () => {
    // Prepare
    const newest = await newestRevision();

    // Act
    const events = await eventsAfter(0, newest);

    // Assess: no retries happened here, so no repeats; every revision is there.
    const revisions = [...new Set(events.map((event) => event.detail.revision))];
    expect(revisions).toEqual(Array.from({ length: newest }, (_, index) => index + 1));
    const keys = events.map((event) => `${event.detail.name}@${event.detail.version}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
