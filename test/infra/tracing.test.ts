import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundlingFor } from '../../infra/cdk/ledger-function.ts';
import { synthesize } from './support/synth.ts';

type Json = Record<string, unknown>;

function functionsOf(context: Record<string, unknown> = {}) {
  const { template } = synthesize({ context });
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as {
    Properties: Json & { Environment: { Variables: Json } };
  }[];
  const xrayActions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => JSON.stringify(policy.Properties.PolicyDocument).match(/xray:\w+/g) ?? [],
  );
  return { functions, xrayActions };
}

/** The handlers' tracer module bundled with a function's aliases, as esbuild's text. */
async function bundledTracer(tracing: boolean): Promise<string> {
  const aliases = Object.entries(bundlingFor({ tracing }).esbuildArgs ?? {}).flatMap(
    ([argument, target]) =>
      argument.startsWith('--alias:') ? [[argument.slice('--alias:'.length), String(target)]] : [],
  );
  const result = await build({
    entryPoints: ['functions/shared/tracer.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
    alias: Object.fromEntries(aliases),
  });
  return result.outputFiles.map((file) => file.text).join('');
}

describe('Tracing', () => {
  // Synthesized while the file loads, like the other infra tests: not against a test's timeout.
  const byDefault = functionsOf();
  const switchedOn = functionsOf({ tracing: 'true' });

  it('is off by default: no active tracing, the Tracer told so, no X-Ray permission', () => {
    // Act
    const { functions, xrayActions } = byDefault;

    // Assess
    expect(functions.length).toBeGreaterThan(10);
    for (const { Properties } of functions) {
      expect(Properties.TracingConfig).toBeUndefined();
      expect(Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    }
    expect(xrayActions).toEqual([]);
  });

  it('traces every function with -c tracing=true: active tracing and Powertools Tracer', () => {
    // Act
    const { functions, xrayActions } = switchedOn;

    // Assess
    for (const { Properties } of functions) {
      expect(Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('true');
    }
    expect(new Set(xrayActions)).toEqual(
      new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
    );
  });

  it('leaves the X-Ray SDK out of the bundles of functions that do not trace', async () => {
    // Act
    const [off, on] = await Promise.all([bundledTracer(false), bundledTracer(true)]);

    // Assess
    expect(on).toContain('aws-xray-sdk-core');
    expect(off).not.toContain('aws-xray-sdk-core');
    expect(off.length).toBeLessThan(on.length / 10);
  });
});
