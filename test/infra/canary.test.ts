import type { Context } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { HealthReport } from '#app/health.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { canaryMetrics } from '../../infra/cdk/canary.ts';
import { synthesize } from './support/synth.ts';
import { functionLogicalId } from './support/template-queries.ts';

const checkHealth = vi.hoisted(() => vi.fn<() => Promise<HealthReport>>());
vi.mock('#app/health.ts', () => ({ checkHealth }));

function report(projectionLag: HealthReport['checks']['projectionLag']): HealthReport {
  return {
    status: projectionLag.status === 'ok' ? 'healthy' : 'degraded',
    checks: {
      log: { status: 'ok', latencyMs: 3 },
      projection: { status: 'ok', latencyMs: 2 },
      projectionLag,
    },
  };
}

/** The embedded-metric-format lines the handler printed. */
function publishedMetrics(
  write: MockInstance<typeof process.stdout.write>,
): Record<string, unknown>[] {
  return write.mock.calls
    .map(([chunk]) => String(chunk))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line));
}

describe('Construct: Canary', () => {
  const { stack, template } = synthesize();

  it('runs the canary function every minute, without retries', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [functionLogicalId(stack, 'canary'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        },
      ],
    });
  });

  it('tells the canary the namespace its alarm watches', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Every minute: measures the projection lag, as a metric. Reads only.',
      Environment: {
        Variables: { POWERTOOLS_METRICS_NAMESPACE: canaryMetrics.namespace },
      },
    });
  });
});

describe('Handler: canary', () => {
  // Scheduled: EventBridge sends an event the canary does not read.
  let handler: (event: unknown, context: Context) => Promise<void>;

  beforeAll(async () => {
    // As the stack sets them: the handler reads them when it loads.
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', canaryMetrics.namespace);
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'config-ledger');
    ({ handler } = await import('#handlers/canary.ts'));
  });

  afterEach(() => {
    checkHealth.mockReset();
  });

  it('publishes the measured lag under the names the alarm watches', async () => {
    // Prepare
    checkHealth.mockResolvedValue(report({ status: 'ok', lagMs: 420, thresholdMs: 1000 }));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    // Act
    await handler({}, lambdaContext('canary', 'test'));

    // Assess
    const [emf] = publishedMetrics(write);
    expect(emf).toMatchObject({
      service: 'config-ledger',
      [canaryMetrics.projectionLag]: 420,
      [canaryMetrics.failed]: 0,
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: canaryMetrics.namespace,
            Dimensions: [['service']],
            Metrics: expect.arrayContaining([
              { Name: canaryMetrics.projectionLag, Unit: 'Milliseconds' },
              { Name: canaryMetrics.failed, Unit: 'Count' },
            ]),
          },
        ],
      },
    });
  });

  it('publishes the waited time when the heartbeat never showed up', async () => {
    // Prepare
    checkHealth.mockResolvedValue(
      report({ status: 'slow', lagMs: 20_000, thresholdMs: 1000, error: 'not projected yet' }),
    );
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    // Act
    await handler({}, lambdaContext('canary', 'test'));

    // Assess
    const [emf] = publishedMetrics(write);
    expect(emf).toMatchObject({ [canaryMetrics.projectionLag]: 20_000 });
  });

  it('publishes no lag, and a failure, when it could not measure', async () => {
    // Prepare
    checkHealth.mockResolvedValue(
      report({
        status: 'failed',
        thresholdMs: 1000,
        error: 'ProvisionedThroughputExceededException',
      }),
    );
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    // Act
    await handler({}, lambdaContext('canary', 'test'));

    // Assess
    const [emf] = publishedMetrics(write);
    expect(emf).toMatchObject({ [canaryMetrics.failed]: 1 });
    expect(emf).not.toHaveProperty(canaryMetrics.projectionLag);
  });
});
