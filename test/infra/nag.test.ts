import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleContext, consoleOnOwnDomainContext } from './support/console-context.ts';
import { buildApp } from './support/synth.ts';

const outdirs: string[] = [];

function freshOutdir(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'config-ledger-nag-'));
  outdirs.push(outdir);
  return outdir;
}

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

const jwtContext = {
  authMode: 'jwt',
  jwtIssuer: 'https://issuer.example.com/',
  jwtAudience: 'config-ledger-api',
};

describe('cdk-nag: AwsSolutionsChecks', () => {
  it.each([
    ['IAM', {}],
    ['JWT', jwtContext],
    ['an alarm email', { alarmEmail: 'oncall@example.com' }],
    ['X-Ray tracing', { tracing: 'true' }],
    ['the prod stage', { stage: 'prod' }],
    ['the web console', consoleContext],
    ['the web console on its own domain, behind WAF', consoleOnOwnDomainContext],
  ])(
    'passes on the stack with %s, every finding acknowledged',
    (_, context) => {
      // Prepare
      const outdir = freshOutdir();
      const { app } = buildApp({ context, nag: true, outdir });

      // Act
      app.synth();

      // Assess
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
      expect(report.pluginReports).toEqual([]);
    },
    // The first synth loads aws-cdk-lib and cdk-nag: over 30 s on a busy machine.
    120_000,
  );

  it('fails the synth on a finding nobody acknowledged', () => {
    // Prepare
    const { app, stack } = buildApp({ nag: true, outdir: freshOutdir() });
    new Queue(stack, 'Unencrypted', { enforceSSL: false });

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-SQS4/);
  });
});
