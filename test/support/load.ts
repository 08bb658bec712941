import { expect } from 'vitest';
import { apiClient } from './http.ts';

export interface LoadOptions {
  readonly clients: number;
  readonly writes: number;
  readonly names: readonly string[];
  /** Share of writes that read the version first and send it as expectedVersion. */
  readonly guardedShare: number;
  /** Called after each acknowledged write with the running count (e.g. to crash the server). */
  readonly onAcknowledged?: (count: number) => void;
}

export interface WriteOutcome {
  readonly writeId: string;
  readonly name: string;
  readonly expectedVersion?: number;
  /** HTTP status, or 0 when the connection failed (no answer: not acknowledged). */
  readonly status: number;
  readonly version?: number;
}

interface HistoryEvent {
  version: number;
  value?: { writeId?: string };
}

/** Many clients writing to few names at once; every write carries a unique id in its value. */
export async function runContendedLoad(
  baseUrl: string,
  options: LoadOptions,
): Promise<WriteOutcome[]> {
  const api = apiClient(baseUrl);
  const outcomes: WriteOutcome[] = [];
  let next = 0;
  let acknowledged = 0;
  const client = async (clientIndex: number) => {
    while (next < options.writes) {
      const index = next++;
      const outcome = await oneWrite(api, options, index, clientIndex);
      outcomes.push(outcome);
      if (outcome.status >= 200 && outcome.status < 300) options.onAcknowledged?.(++acknowledged);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
  return outcomes;
}

async function oneWrite(
  api: ReturnType<typeof apiClient>,
  options: LoadOptions,
  index: number,
  clientIndex: number,
): Promise<WriteOutcome> {
  const name = options.names[index % options.names.length] ?? 'load';
  const writeId = `w${index}`;
  const guarded = (index * 7919) % 100 < options.guardedShare * 100;
  try {
    const expectedVersion = guarded ? await currentVersion(api, name) : undefined;
    const response = await api.put(`/config/${name}`, {
      value: { writeId, clientIndex },
      ...(guarded ? { expectedVersion } : {}),
    });
    return {
      writeId,
      name,
      expectedVersion,
      status: response.status,
      version: response.body?.version,
    };
  } catch {
    return { writeId, name, status: 0 };
  }
}

async function currentVersion(api: ReturnType<typeof apiClient>, name: string): Promise<number> {
  const response = await api.get(`/config/${name}?consistent=true`);
  return response.status === 200 ? response.body.version : 0;
}

export async function fullHistory(baseUrl: string, name: string): Promise<HistoryEvent[]> {
  const api = apiClient(baseUrl);
  const events: HistoryEvent[] = [];
  let token: string | undefined;
  do {
    const page = await api.get(
      `/config/${name}/history?limit=1000${token ? `&nextToken=${token}` : ''}`,
    );
    if (page.status === 404) return [];
    events.push(...page.body.events);
    token = page.body.nextToken;
  } while (token);
  return events;
}

/**
 * What no load may break: every acknowledged write is in its history exactly once, versions are
 * contiguous, conflicts happen only to writers that sent a stale version, nothing failed on the
 * server's side, and the projection ends at the head of every name.
 */
export async function expectLoadInvariants(
  baseUrl: string,
  outcomes: readonly WriteOutcome[],
  names: readonly string[],
) {
  const api = apiClient(baseUrl);
  const histories = new Map(
    await Promise.all(names.map(async (name) => [name, await fullHistory(baseUrl, name)] as const)),
  );
  const placed = placeEveryWrite(histories);
  for (const outcome of outcomes) expectOutcomeMatchesHistory(outcome, histories, placed);
  await projectionCaughtUp(baseUrl);
  for (const [name, events] of histories) {
    const head = events.at(-1);
    if (!head) continue;
    expect((await api.get(`/config/${name}`)).body).toMatchObject({
      version: head.version,
      value: head.value,
    });
  }
}

type Placement = { name: string; version: number };

/** Where each write landed; checks versions are contiguous and no write landed twice. */
function placeEveryWrite(histories: Map<string, HistoryEvent[]>): Map<string, Placement> {
  const placed = new Map<string, Placement>();
  for (const [name, events] of histories) {
    expect(events.map((event) => event.version)).toEqual(events.map((_, index) => index + 1));
    for (const event of events) {
      const writeId = event.value?.writeId ?? '';
      expect(placed.has(writeId), `${writeId} appears twice`).toBe(false);
      placed.set(writeId, { name, version: event.version });
    }
  }
  return placed;
}

function expectOutcomeMatchesHistory(
  outcome: WriteOutcome,
  histories: Map<string, HistoryEvent[]>,
  placed: Map<string, Placement>,
) {
  expect(outcome.status, `${outcome.writeId} answered ${outcome.status}`).toBeLessThan(500);
  if (outcome.status >= 200 && outcome.status < 300) {
    expect(placed.get(outcome.writeId)).toEqual({ name: outcome.name, version: outcome.version });
  } else if (outcome.status === 409) {
    // A conflict only for a stale expectation: another write holds the version after it.
    expect(outcome.expectedVersion).toBeDefined();
    const taken = histories.get(outcome.name)?.[outcome.expectedVersion ?? 0];
    expect(taken, `${outcome.writeId} conflicted on a version nobody took`).toBeDefined();
    expect(taken?.value?.writeId).not.toBe(outcome.writeId);
    expect(placed.has(outcome.writeId)).toBe(false);
  } else {
    // 0: the connection died (the crash test); such a write may or may not have landed, once.
    expect(outcome.status, `${outcome.writeId} got an unexpected ${outcome.status}`).toBe(0);
  }
}

/**
 * Waits for a healthy /health: its heartbeat goes through the stream behind every write so far,
 * so once it is projected in time, all of them are. Right after a burst the backlog may make
 * the service report itself degraded for a moment; that is what /health is for.
 */
export async function projectionCaughtUp(baseUrl: string, deadlineMs = 30_000): Promise<void> {
  const api = apiClient(baseUrl);
  const deadline = performance.now() + deadlineMs;
  while ((await api.get('/health')).status !== 200) {
    if (performance.now() > deadline) throw new Error('The projection did not catch up.');
  }
}
