import type { HistoryStore } from '#store/history-store.ts';
import type { LogStore } from '#store/log-store.ts';
import type { ProjectionStore } from '#store/projection-store.ts';

/** The tables a use case reads and writes: the log, and the two views projected from it. */
export interface Stores {
  readonly log: LogStore;
  readonly history: HistoryStore;
  readonly projection: ProjectionStore;
}
