import type { Revision } from '#domain/events.ts';
import { awaitProjected, type PointQuery, revisionOf } from './points.ts';
import type { Stores } from './stores.ts';

/**
 * The revision a multi-name read shows, once the projector has reached it: the point asked for
 * on a first page, or the one a page token carries.
 */
export async function listingRevision(
  stores: Stores,
  point: PointQuery,
  fromToken?: Revision,
): Promise<Revision> {
  const revision = fromToken ?? (await revisionOf(stores, point));
  await awaitProjected(stores, revision);
  return revision;
}
