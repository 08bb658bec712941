import { App } from 'aws-cdk-lib';
import { stageStack } from './config-ledger-stack.ts';
import { addNagChecks } from './nag.ts';
import { settingsFromContext } from './settings.ts';

/**
 * The CDK app (cdk.json runs it): the stack of one stage (`-c stage=prod`; `dev` by default),
 * settings from context, cdk-nag on synth.
 */
const app = new App();
stageStack(app, readSettings());
addNagChecks(app);
app.synth();

/** A wrong context value is the user's to fix: say which, without a stack trace. */
function readSettings() {
  try {
    return settingsFromContext(app.node);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
