import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Stores } from '#app/stores.ts';
import { createDocumentClient } from '#store/dynamo-client.ts';
import { HistoryStore } from '#store/history-store.ts';
import { LogStore } from '#store/log-store.ts';
import { ProjectionStore } from '#store/projection-store.ts';

/** What goes wrong around one writer's commit, as a real network, SDK and Lambda can make it. */
export type CommitFault =
  /** Nothing: the put is answered as it happens. */
  | 'none'
  /** The writer dies before its put reaches the table: nothing is written. */
  | 'crash-before-commit'
  /** The put is written, then the writer dies before it can answer its caller. */
  | 'crash-after-commit'
  /** The put is written, its answer is lost, and the SDK sends it again (and loses the race). */
  | 'retried-after-commit';

export interface WriterFaults {
  /** Time between stamping the commit and its put reaching the table. */
  readonly delayBeforeCommitMs: number;
  readonly fault: CommitFault;
}

/** A crash: the writer makes no further call, so the write is never acknowledged. */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

type Middleware = (
  next: (args: { input: Record<string, unknown> }) => Promise<unknown>,
  context: { commandName?: string },
) => (args: { input: Record<string, unknown> }) => Promise<unknown>;

/**
 * Stores over a client of their own whose calls to the log go wrong as planned. `onCommitted`
 * sees each log item the table took, as its stream would.
 */
export function faultyStores(
  tables: { log: string; history: string; projection: string },
  faults: WriterFaults,
  onCommitted: (item: Record<string, unknown>) => void,
): Stores {
  let crashed = false;
  /** The put of a commit, as planned: delayed, lost, doubled. */
  const commitAsPlanned = async (send: () => Promise<unknown>, item: Record<string, unknown>) => {
    await new Promise((resolve) => setTimeout(resolve, faults.delayBeforeCommitMs));
    if (faults.fault === 'crash-before-commit') {
      crashed = true;
      throw new SimulatedCrash('The writer died before its put.');
    }
    const result = await send();
    onCommitted(item);
    if (faults.fault === 'crash-after-commit') {
      crashed = true;
      throw new SimulatedCrash('The writer died after its put.');
    }
    return faults.fault === 'retried-after-commit' ? send() : result;
  };
  const injectFaults: Middleware = (next, context) => async (args) => {
    if (crashed) throw new SimulatedCrash('This writer has crashed.');
    const isCommit =
      context.commandName === 'PutItemCommand' && args.input.TableName === tables.log;
    if (!isCommit) return next(args);
    return commitAsPlanned(() => next(args), args.input.Item as Record<string, unknown>);
  };
  return storesThrough(tables, injectFaults);
}

/**
 * Stores whose writes to the views fail now and then, as throttling or a crash between two
 * steps of the projector would: each failure is a thrown error, the batch is retried.
 */
export function flakyViews(
  tables: { log: string; history: string; projection: string },
  failureShare: number,
  random: () => number,
): Stores {
  const injectFailures: Middleware = (next, context) => async (args) => {
    const write = ['BatchWriteItemCommand', 'UpdateItemCommand'].includes(
      context.commandName ?? '',
    );
    if (write && random() < failureShare) throw new Error('Injected failure of a view write.');
    return next(args);
  };
  return storesThrough(tables, injectFailures);
}

/** Stores over a client of their own, every call of which passes through the middleware. */
function storesThrough(
  tables: { log: string; history: string; projection: string },
  middleware: Middleware,
): Stores {
  const client = new DynamoDBClient({});
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'faults' });
  const db = createDocumentClient(client);
  return {
    log: new LogStore(db, tables.log),
    history: new HistoryStore(db, tables.history),
    projection: new ProjectionStore(db, tables.projection),
  };
}

/** A seeded random source, so a failing case replays exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
