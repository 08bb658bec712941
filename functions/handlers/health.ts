import { checkHealth } from '#app/health.ts';
import { noQuerySchema, parseInput } from '#http/contract.ts';
import { httpHandler } from '#http/http-handler.ts';
import { numberEnv } from '#shared/env.ts';
import { logStoreFromEnv, projectionStoreFromEnv } from '#store/runtime.ts';

const stores = { log: logStoreFromEnv(), projection: projectionStoreFromEnv() };
const maxLagMs = numberEnv('HEALTH_MAX_LAG_MS', 1000);

/** GET /health: 200 when both tables answer and the projection keeps up, 503 otherwise. */
export const handler = httpHandler(async (request) => {
  parseInput(noQuerySchema, request.query, 'query');
  const report = await checkHealth(stores, { maxLagMs });
  return { statusCode: report.status === 'healthy' ? 200 : 503, body: report };
});
