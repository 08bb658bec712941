import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** The module as a function loads it, in the environment given (the Tracer reads it at load). */
async function tracerModuleWith(environment: Record<string, string>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  return import('#shared/tracer.ts');
}

const context = {} as Context;

/** What Lambda sets in a function with active tracing, for a sampled request. */
const tracedInvocation = {
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  _HANDLER: 'index.handler',
  LAMBDA_TASK_ROOT: '/var/task',
  // Nowhere to send to: a closed local port, the segments are dropped.
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:9',
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Function: traced', () => {
  it('leaves the handler as it is outside Lambda', async () => {
    // Prepare
    const { traced } = await tracerModuleWith({});
    const handler = async () => 'done';

    // Act & Assess
    expect(traced(handler)).toBe(handler);
  });

  it('leaves the handler as it is in Lambda when POWERTOOLS_TRACE_ENABLED is false', async () => {
    // Prepare
    const { traced } = await tracerModuleWith({
      ...tracedInvocation,
      POWERTOOLS_TRACE_ENABLED: 'false',
    });
    const handler = async () => 'done';

    // Act & Assess
    expect(traced(handler)).toBe(handler);
  });

  it('returns what the handler returns and throws what it throws, when tracing', async () => {
    // Prepare
    const { traced } = await tracerModuleWith(tracedInvocation);
    const failure = new Error('store unavailable');

    // Act
    const answer = traced(async (event: number) => event + 1);
    const failing = traced(async () => {
      throw failure;
    });

    // Assess
    await expect(answer(41, context)).resolves.toBe(42);
    await expect(failing(undefined, context)).rejects.toBe(failure);
  });
});
