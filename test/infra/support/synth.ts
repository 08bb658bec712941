import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type ConfigLedgerStack, stageStack } from '../../../infra/cdk/config-ledger-stack.ts';
import { addNagChecks } from '../../../infra/cdk/nag.ts';
import { settingsFromContext } from '../../../infra/cdk/settings.ts';

export interface SynthOptions {
  /** CDK context, as `-c key=value` or cdk.json would give it. */
  readonly context?: Record<string, unknown>;
  /** Run esbuild for real; otherwise bundling is skipped and synth takes a fraction of it. */
  readonly bundle?: boolean;
  /** Where the cloud assembly goes. @default - a temporary directory */
  readonly outdir?: string;
  /** Register cdk-nag like the app does. */
  readonly nag?: boolean;
}

export interface Built {
  readonly app: App;
  readonly stack: ConfigLedgerStack;
}

export interface Synthesized extends Built {
  readonly template: Template;
}

/**
 * The context cdk.json gives every synth, feature flags above all: without them a test would
 * check a template other than the one `cdk deploy` sends.
 */
const projectContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8'),
).context;

/** The stack as `cdk synth` builds it, from the same settings code, not synthesized yet. */
export function buildApp(options: SynthOptions = {}): Built {
  const app = new App({
    outdir: options.outdir,
    context: {
      ...projectContext,
      ...options.context,
      // An empty list of stacks to bundle: assets point at the sources, esbuild never runs.
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = stageStack(app, settingsFromContext(app.node));
  if (options.nag) addNagChecks(app);
  return { app, stack };
}

/** The stack's template, for assertions. */
export function synthesize(options: SynthOptions = {}): Synthesized {
  const built = buildApp(options);
  return { ...built, template: Template.fromStack(built.stack) };
}
