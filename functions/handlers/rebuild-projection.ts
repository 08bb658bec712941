import { rebuildProjection } from '#app/rebuild.ts';
import { logger } from '#shared/logger.ts';
import { eventStoreFromEnv, feedStoreFromEnv, projectionStoreFromEnv } from '#store/runtime.ts';

const stores = { events: eventStoreFromEnv(), projection: projectionStoreFromEnv() };
const feed = feedStoreFromEnv();

/**
 * Invoked by hand (no route): replays the whole events table into the projection and the change
 * feed, e.g. after a restore or to heal records that went to the dead-letter queue. Safe while
 * traffic goes on.
 */
export const handler = async () => {
  const report = await rebuildProjection(stores, { segments: 8, feed: { store: feed } });
  logger.info('Projection rebuilt', { ...report });
  return report;
};
