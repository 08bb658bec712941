import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { checkHealth } from '#app/health.ts';
import { requiredEnv } from '#shared/env.ts';
import { logger } from '#shared/logger.ts';
import { traced } from '#shared/tracer.ts';
import { logStoreFromEnv, projectionStoreFromEnv } from '#store/runtime.ts';

const stores = { log: logStoreFromEnv(), projection: projectionStoreFromEnv() };

// Metrics go out as embedded metric format (EMF) log lines: no CloudWatch API call, no
// permission. The namespace and the `service` dimension come from the deployment, which builds
// its alarm on the same values, so they are required rather than defaulted.
const metrics = new Metrics({
  namespace: requiredEnv('POWERTOOLS_METRICS_NAMESPACE'),
  serviceName: requiredEnv('POWERTOOLS_SERVICE_NAME'),
});

/** Only labels the logged report; the alarm on the metric holds the real threshold. */
const maxLagMs = 1_000;

/**
 * Runs every minute (EventBridge schedule): measures how long the oldest commit the projector
 * has not applied has been waiting (0 when it is caught up) and publishes it. Reads only. When
 * it cannot measure at all, no lag is published and the alarm treats the missing data point as
 * breaching.
 */
export const handler = traced(async (): Promise<void> => {
  const report = await checkHealth(stores, { maxLagMs });
  const lag = report.checks.projectionLag;
  if (lag.lagMs !== undefined) {
    metrics.addMetric('ProjectionLag', MetricUnit.Milliseconds, lag.lagMs);
  }
  metrics.addMetric('CanaryFailed', MetricUnit.Count, lag.status === 'failed' ? 1 : 0);
  metrics.publishStoredMetrics();
  logger.info('Canary checked the projection lag', { ...report });
});
