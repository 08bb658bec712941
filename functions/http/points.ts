import { newest, type PointQuery } from '#app/points.ts';
import { parseInstant } from '#domain/instant.ts';

/** The point a read asks for with `at` (an instant) or `revision`; now without either. */
export function pointFromQuery(query: { at?: string; revision?: number }): PointQuery {
  if (query.revision !== undefined) return { kind: 'revision', revision: query.revision };
  if (query.at !== undefined) return { kind: 'instant', instant: parseInstant(query.at) };
  return newest;
}

/** A point written as one text: a whole number is a revision, anything else an instant. */
export function pointFromText(text: string): PointQuery {
  return /^\d{1,15}$/.test(text)
    ? { kind: 'revision', revision: Number(text) }
    : { kind: 'instant', instant: parseInstant(text) };
}

/** The point as a query asked for it, for binding page tokens to the query. */
export function pointLabel(point: PointQuery): string {
  switch (point.kind) {
    case 'newest':
      return 'newest';
    case 'revision':
      return `r${point.revision}`;
    case 'instant':
      return `@${point.instant}`;
    default: {
      const unhandled: never = point;
      return unhandled;
    }
  }
}
