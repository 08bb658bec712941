import type { Stores } from './stores.ts';

export interface CheckResult {
  readonly status: 'ok' | 'failed';
  readonly latencyMs?: number;
  readonly error?: string;
}

export interface LagCheckResult {
  readonly status: 'ok' | 'slow' | 'failed';
  /** How long the oldest commit the projector has not applied has been waiting; 0 when none. */
  readonly lagMs?: number;
  readonly thresholdMs: number;
  readonly error?: string;
}

export interface HealthReport {
  readonly status: 'healthy' | 'degraded';
  /** The newest revision, and the one the projector has reached. */
  readonly revision?: number;
  readonly projectedRevision?: number;
  readonly checks: {
    readonly log: CheckResult;
    readonly projection: CheckResult;
    readonly projectionLag: LagCheckResult;
  };
}

export interface HealthOptions {
  /** Lag beyond which the service reports itself degraded. */
  readonly maxLagMs: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Reads, never writes: the newest commit and the projector's progress, and how long the oldest
 * commit not applied yet has waited. Three small reads at most, so it is cheap and safe however
 * often and however concurrently it is called.
 */
export async function checkHealth(
  stores: Pick<Stores, 'log' | 'projection'>,
  options: HealthOptions,
): Promise<HealthReport> {
  const [newest, progress] = await Promise.all([
    timed(() => stores.log.newestRevision()),
    timed(() => stores.projection.progress()),
  ]);
  const reachable = newest.check.status === 'ok' && progress.check.status === 'ok';
  const revision = newest.value ?? 0;
  const projectedRevision = progress.value?.revision ?? 0;
  const projectionLag = reachable
    ? await measureLag(stores, { revision, projectedRevision }, options)
    : { status: 'failed' as const, thresholdMs: options.maxLagMs, error: 'a table is unreachable' };
  const healthy = [newest.check, progress.check, projectionLag].every((c) => c.status === 'ok');
  return {
    status: healthy ? 'healthy' : 'degraded',
    ...(reachable ? { revision, projectedRevision } : {}),
    checks: { log: newest.check, projection: progress.check, projectionLag },
  };
}

/** How long the oldest commit the projector has not applied has waited; 0 when none. */
async function measureLag(
  stores: Pick<Stores, 'log'>,
  positions: { revision: number; projectedRevision: number },
  options: HealthOptions,
): Promise<LagCheckResult> {
  const thresholdMs = options.maxLagMs;
  if (positions.projectedRevision >= positions.revision) {
    return { status: 'ok', lagMs: 0, thresholdMs };
  }
  try {
    const oldest = await stores.log.get(positions.projectedRevision + 1);
    const now = (options.now ?? Date.now)();
    const lagMs = oldest ? Math.max(0, now - Date.parse(oldest.occurredAt)) : 0;
    return { status: lagMs <= thresholdMs ? 'ok' : 'slow', lagMs, thresholdMs };
  } catch (error) {
    return { status: 'failed', thresholdMs, error: describe(error) };
  }
}

async function timed<T>(probe: () => Promise<T>): Promise<{ check: CheckResult; value?: T }> {
  const started = performance.now();
  try {
    const value = await probe();
    return { check: { status: 'ok', latencyMs: elapsedSince(started) }, value };
  } catch (error) {
    return { check: { status: 'failed', error: describe(error) } };
  }
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/** Only the error's kind: health responses are public and must not leak internals. */
function describe(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
