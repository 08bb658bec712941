import { rebuildProjection } from '#app/rebuild.ts';
import { logger } from '#shared/logger.ts';
import { eventStoreFromEnv, projectionStoreFromEnv } from '#store/runtime.ts';

const stores = { events: eventStoreFromEnv(), projection: projectionStoreFromEnv() };

/**
 * Invoked by hand (no route): replays the whole events table into the projection, e.g. after a
 * restore or to heal records that went to the dead-letter queue. Safe while traffic goes on.
 */
export const handler = async () => {
  const report = await rebuildProjection(stores, { segments: 8 });
  logger.info('Projection rebuilt', { ...report });
  return report;
};
