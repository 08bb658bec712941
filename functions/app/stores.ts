import type { EventStore } from '#store/event-store.ts';
import type { ProjectionStore } from '#store/projection-store.ts';

export interface Stores {
  readonly events: EventStore;
  readonly projection: ProjectionStore;
}
