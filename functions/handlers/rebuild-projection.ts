import type { Context } from 'aws-lambda';
import { catchUp } from '#app/projection.ts';
import { logger } from '#shared/logger.ts';
import { traced } from '#shared/tracer.ts';
import { storesFromEnv } from '#store/runtime.ts';

const stores = storesFromEnv();

/** Stops a little before the function's timeout; the next invocation goes on from the progress. */
const safetyMarginMs = 10_000;

/**
 * Invoked by hand (no route): applies the whole log again to the history and the projection,
 * e.g. after a restore of those tables. Safe while traffic goes on. With `{ "fromStart": false }`
 * it only catches up from the projector's progress.
 */
export const handler = traced(
  async (input: { fromStart?: boolean } | undefined, context?: Context) => {
    const report = await catchUp(stores, {
      ...(input?.fromStart === false ? {} : { from: 0 }),
      outOfTime: () =>
        (context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY) < safetyMarginMs,
    });
    logger.info('Projection rebuilt', { ...report });
    return report;
  },
);
