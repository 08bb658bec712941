import { heartbeatName } from '#domain/config-name.ts';
import { toJsonText } from '#domain/json.ts';
import { setValue } from './commands.ts';
import type { Stores } from './stores.ts';

export interface CheckResult {
  readonly status: 'ok' | 'failed';
  readonly latencyMs?: number;
  readonly error?: string;
}

export interface LagCheckResult {
  readonly status: 'ok' | 'slow' | 'failed';
  readonly lagMs?: number;
  readonly thresholdMs: number;
  readonly error?: string;
}

export interface HealthReport {
  readonly status: 'healthy' | 'degraded';
  readonly checks: {
    readonly eventsTable: CheckResult;
    readonly projectionTable: CheckResult;
    readonly projectionLag: LagCheckResult;
  };
}

export interface HealthOptions {
  /** Lag beyond which the service reports itself degraded. */
  readonly maxLagMs: number;
  /** How long to wait for the heartbeat to reach the projection. */
  readonly timeoutMs: number;
}

/** Heartbeat events expire (TTL) after a day; configuration events never do. */
const heartbeatRetentionSeconds = 24 * 60 * 60;

/**
 * Checks both tables, then measures the projection's lag end to end: a heartbeat goes through
 * the real write path (append, stream, projector) and is timed until the projection shows it.
 */
export async function checkHealth(stores: Stores, options: HealthOptions): Promise<HealthReport> {
  const [eventsTable, projectionTable] = await Promise.all([
    timed(() => stores.events.readHead(heartbeatName)),
    timed(() => stores.projection.projectedVersion(heartbeatName)),
  ]);
  const projectionLag =
    eventsTable.status === 'ok' && projectionTable.status === 'ok'
      ? await measureLag(stores, options)
      : {
          status: 'failed' as const,
          thresholdMs: options.maxLagMs,
          error: 'a table is unreachable',
        };
  const healthy = [eventsTable, projectionTable, projectionLag].every(
    (check) => check.status === 'ok',
  );
  return {
    status: healthy ? 'healthy' : 'degraded',
    checks: { eventsTable, projectionTable, projectionLag },
  };
}

async function timed(probe: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  try {
    await probe();
    return { status: 'ok', latencyMs: elapsedSince(started) };
  } catch (error) {
    return { status: 'failed', error: describe(error) };
  }
}

async function measureLag(stores: Stores, options: HealthOptions): Promise<LagCheckResult> {
  const thresholdMs = options.maxLagMs;
  try {
    const { entry } = await setValue(
      stores.events,
      { name: heartbeatName, value: toJsonText(null), actor: 'health-check' },
      { expiresAt: Math.floor(Date.now() / 1000) + heartbeatRetentionSeconds, maxAttempts: 5 },
    );
    const acknowledged = performance.now();
    const seen = await waitUntil(
      async () => (await stores.projection.projectedVersion(heartbeatName)) >= entry.version,
      options.timeoutMs,
    );
    const lagMs = elapsedSince(acknowledged);
    if (!seen) return { status: 'slow', lagMs, thresholdMs, error: 'heartbeat not projected yet' };
    return { status: lagMs <= thresholdMs ? 'ok' : 'slow', lagMs, thresholdMs };
  } catch (error) {
    return { status: 'failed', thresholdMs, error: describe(error) };
  }
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  let interval = 1;
  while (!(await condition())) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, interval));
    interval = Math.min(50, interval * 2);
  }
  return true;
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/** Only the error's kind: health responses are public and must not leak internals. */
function describe(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
