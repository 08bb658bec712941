import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { LedgerFunction } from './ledger-function.ts';

/**
 * The metrics functions/handlers/canary.ts publishes. The namespace reaches the handler through
 * its environment; the metric names are the handler's own, and a test checks both sides agree.
 */
export const canaryMetrics = {
  namespace: 'ConfigLedger',
  projectionLag: 'ProjectionLag',
  failed: 'CanaryFailed',
} as const;

export interface CanaryProps {
  /** The canary function (functions/handlers/canary.ts). */
  readonly canary: LedgerFunction;
  /** @default Duration.minutes(1) */
  readonly interval?: Duration;
}

/**
 * A heartbeat through the real write path on a schedule: append, stream, projector, projection.
 * The observed lag becomes a CloudWatch metric, and its absence (nothing measured) an alarm.
 */
export class Canary extends Construct {
  private readonly dimensions: Record<string, string>;

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id);
    props.canary.addEnvironment('POWERTOOLS_METRICS_NAMESPACE', canaryMetrics.namespace);
    // Powertools adds the service name as the `service` dimension of every metric.
    this.dimensions = { service: props.canary.serviceName };
    new Rule(this, 'Schedule', {
      description: 'Runs the config-ledger canary.',
      schedule: Schedule.rate(props.interval ?? Duration.minutes(1)),
      // A missed run is not worth retrying: the next one is a minute away.
      targets: [new LambdaFunction(props.canary.function, { retryAttempts: 0 })],
    });
  }

  /** Milliseconds from an acknowledged heartbeat write until the projection shows it. */
  metricProjectionLag(period = Duration.minutes(1)): Metric {
    return new Metric({
      namespace: canaryMetrics.namespace,
      metricName: canaryMetrics.projectionLag,
      dimensionsMap: this.dimensions,
      statistic: 'Maximum',
      period,
    });
  }

  /** Runs that could not measure at all (a table unreachable, the heartbeat not written). */
  metricFailures(period = Duration.minutes(1)): Metric {
    return new Metric({
      namespace: canaryMetrics.namespace,
      metricName: canaryMetrics.failed,
      dimensionsMap: this.dimensions,
      statistic: 'Sum',
      period,
    });
  }
}
