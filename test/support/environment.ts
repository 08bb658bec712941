import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { tableDefinitions } from '#store/tables.ts';

/**
 * Runs before each test file's imports: handlers read their configuration when loaded, as on
 * Lambda. Every file gets tables of its own in the shared engine, so files run in parallel.
 */
const suffix = randomUUID().slice(0, 8);
Object.assign(process.env, {
  AWS_ENDPOINT_URL_DYNAMODB: inject('engineEndpoint'),
  AWS_REGION: 'local',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  ...Object.fromEntries(
    tableDefinitions.map((table) => [
      table.tableNameVariable,
      `${table.defaultTableName}-${suffix}`,
    ]),
  ),
  HEALTH_MAX_LAG_MS: '1000',
  POWERTOOLS_SERVICE_NAME: 'config-ledger',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
  // The SDK's notice that it will need Node 22 next year; known, and noise in test output.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});
