import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger for every function, configured by Powertools' own environment
 * variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL) that the deployment sets.
 * Configuration values may be secrets: never log a value, only names and versions.
 */
export const logger = new Logger();
