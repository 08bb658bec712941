import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The local stack's own lifecycle messages (started, stopping, failed to start). They are
 * always printed, whatever POWERTOOLS_LOG_LEVEL quietens in the handlers: people and scripts
 * wait for the start-up line to learn the URL.
 */
export const stackLogger = new Logger({ serviceName: 'config-ledger-local', logLevel: 'INFO' });
