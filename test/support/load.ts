import { isDeepStrictEqual } from 'node:util';
import { type ApiResponse, apiClient } from './http.ts';

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
    const response = await retriedWhileContended(() =>
      api.put(`/config/${name}`, {
        value: { writeId, clientIndex },
        ...(guarded ? { expectedVersion } : {}),
      }),
    );
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

/**
 * As a client should: a 503 write_contention wrote nothing and says to retry after a moment
 * (Retry-After), so it is sent again; any other answer is the outcome.
 */
export async function retriedWhileContended(
  send: () => Promise<ApiResponse>,
): Promise<ApiResponse> {
  for (;;) {
    const response = await send();
    if (response.status !== 503 || response.body?.error !== 'write_contention') return response;
    const seconds = Number(response.headers.get('retry-after') ?? '1');
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000 * Math.random()));
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

/** What an audit of a load found; every count but the first four must be 0. */
export interface LoadAudit {
  readonly writesTried: number;
  readonly acknowledged: number;
  readonly conflicts: number;
  /** Writes whose connection died before an answer (the crash test): not acknowledged. */
  readonly unanswered: number;
  readonly serverErrors: number;
  readonly unexpectedStatuses: number;
  /** Acknowledged writes missing from the history, or found at another version. */
  readonly lost: number;
  readonly duplicated: number;
  readonly versionGaps: number;
  /** 409s where no other write had taken the expected version's successor. */
  readonly undeservedConflicts: number;
  /** Names whose projection did not end at the head of their history. */
  readonly projectionMismatches: number;
}

/**
 * What no load may break: every acknowledged write is in its history exactly once, versions are
 * contiguous, conflicts happen only to writers that sent a stale version, nothing failed on the
 * server's side, and the projection ends at the head of every name.
 */
export async function auditLoad(
  baseUrl: string,
  outcomes: readonly WriteOutcome[],
  names: readonly string[],
): Promise<LoadAudit> {
  const histories = new Map(
    await Promise.all(names.map(async (name) => [name, await fullHistory(baseUrl, name)] as const)),
  );
  const { placed, duplicated, versionGaps } = placeEveryWrite(histories);
  const byKind = classify(outcomes, histories, placed);
  await projectionCaughtUp(baseUrl);
  return {
    writesTried: outcomes.length,
    ...byKind,
    duplicated,
    versionGaps,
    projectionMismatches: await countProjectionMismatches(baseUrl, histories),
  };
}

type Placement = { name: string; version: number };

/** Where each write landed, counting writes that landed twice and gaps in version sequences. */
function placeEveryWrite(histories: Map<string, HistoryEvent[]>) {
  const placed = new Map<string, Placement>();
  let duplicated = 0;
  let versionGaps = 0;
  for (const [name, events] of histories) {
    events.forEach((event, index) => {
      if (event.version !== index + 1) versionGaps++;
      const writeId = event.value?.writeId ?? '';
      if (placed.has(writeId)) duplicated++;
      placed.set(writeId, { name, version: event.version });
    });
  }
  return { placed, duplicated, versionGaps };
}

function classify(
  outcomes: readonly WriteOutcome[],
  histories: Map<string, HistoryEvent[]>,
  placed: Map<string, Placement>,
) {
  const counts = {
    acknowledged: 0,
    conflicts: 0,
    unanswered: 0,
    serverErrors: 0,
    unexpectedStatuses: 0,
    lost: 0,
    undeservedConflicts: 0,
  };
  for (const outcome of outcomes) {
    const kind = kindOf(outcome.status);
    counts[kind]++;
    const landed = placed.get(outcome.writeId);
    if (kind === 'acknowledged' && !isAt(landed, outcome)) counts.lost++;
    if (kind === 'conflicts' && (landed || !conflictWasDeserved(outcome, histories))) {
      counts.undeservedConflicts++;
    }
  }
  return counts;
}

function kindOf(status: number) {
  if (status >= 200 && status < 300) return 'acknowledged' as const;
  if (status === 409) return 'conflicts' as const;
  if (status === 0) return 'unanswered' as const;
  return status >= 500 ? ('serverErrors' as const) : ('unexpectedStatuses' as const);
}

function isAt(landed: Placement | undefined, outcome: WriteOutcome): boolean {
  return landed?.name === outcome.name && landed.version === outcome.version;
}

/** A conflict is deserved when another write holds the version after the expected one. */
function conflictWasDeserved(outcome: WriteOutcome, histories: Map<string, HistoryEvent[]>) {
  if (outcome.expectedVersion === undefined) return false;
  const taken = histories.get(outcome.name)?.[outcome.expectedVersion];
  return taken !== undefined && taken.value?.writeId !== outcome.writeId;
}

async function countProjectionMismatches(baseUrl: string, histories: Map<string, HistoryEvent[]>) {
  const api = apiClient(baseUrl);
  let mismatches = 0;
  for (const [name, events] of histories) {
    const head = events.at(-1);
    if (!head) continue;
    const projected = (await api.get(`/config/${name}`)).body;
    const same =
      projected?.version === head.version && isDeepStrictEqual(projected?.value, head.value);
    if (!same) mismatches++;
  }
  return mismatches;
}

/** The part of an audit that must be zero whatever the load. */
export function violationsOf(audit: LoadAudit) {
  const { writesTried, acknowledged, conflicts, unanswered, ...violations } = audit;
  return violations;
}

export const noViolations = {
  serverErrors: 0,
  unexpectedStatuses: 0,
  lost: 0,
  duplicated: 0,
  versionGaps: 0,
  undeservedConflicts: 0,
  projectionMismatches: 0,
};

/**
 * Waits until the projector has applied every commit made so far: /health tells the newest
 * revision and the projector's. Right after a burst the backlog may make the service report
 * itself degraded for a moment; that is what /health is for.
 */
export async function projectionCaughtUp(baseUrl: string, deadlineMs = 30_000): Promise<void> {
  const api = apiClient(baseUrl);
  const target = (await api.get('/health')).body.revision;
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    const health = await api.get('/health');
    if (health.body.projectedRevision >= target) return;
    if (performance.now() > deadline) throw new Error('The projection did not catch up.');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
