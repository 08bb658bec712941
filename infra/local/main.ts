import { ConfigurationError, configFromEnv } from './config.ts';
import { startLocalStack } from './local-stack.ts';
import { stackLogger as logger } from './stack-logger.ts';

/** `npm start`: the whole service on this machine, until Ctrl-C. */
async function main(): Promise<void> {
  const config = configFromEnv();
  const stack = await startLocalStack(config);
  logger.info('config-ledger local stack is up (listening on loopback only)', {
    url: stack.url,
    pushUrl: stack.pushUrl,
    dataDir: config.dataDir ?? 'in memory',
    engineEndpoint: stack.engineEndpoint,
    // Each change's event, as EventBridge would deliver it: `tail -f` it (docs/events.md).
    changeEvents: stack.changeEvents?.file ?? 'off (in memory; set CHANGE_EVENTS_FILE)',
    reconciliation: stack.reconciliation,
  });
  const shutdown = async (signal: string) => {
    logger.info('Shutting down', { signal });
    try {
      await stack.stop();
      process.exit(0);
    } catch (error) {
      logger.error('The local stack did not stop cleanly', { error: error as Error });
      process.exit(1);
    }
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const expected = error instanceof ConfigurationError;
  logger.error(expected ? error.message : 'The local stack failed to start', {
    ...(expected ? {} : { error: error as Error }),
  });
  process.exit(1);
});
