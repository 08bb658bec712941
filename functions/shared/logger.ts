import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger for every function. Configuration values may be secrets: never log
 * a value, only names and versions.
 */
export const logger = new Logger({ serviceName: 'config-ledger' });
