import { takeSnapshotIfDue } from '#app/snapshotting.ts';
import { logger } from '#shared/logger.ts';
import { traced } from '#shared/tracer.ts';
import { logStoreFromEnv, snapshotStoreFromEnv } from '#store/runtime.ts';

const stores = { log: logStoreFromEnv(), snapshots: snapshotStoreFromEnv() };

/**
 * Runs every minute (EventBridge schedule): takes a snapshot of the whole configuration when the
 * commits since the last one outnumber its entries, so that reading the configuration at a past
 * point stays about as cheap as reading it now. A run that fails or overlaps another changes
 * nothing a reader sees: snapshots are whole or unread, and the same at the same revision.
 */
export const handler = traced(async () => {
  const outcome = await takeSnapshotIfDue(stores);
  if (outcome.taken) logger.info('Took a snapshot', { ...outcome });
  else logger.debug('No snapshot due', { ...outcome });
  return outcome;
});
