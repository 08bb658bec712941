import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SnapshotStores } from '#app/snapshotting.ts';
import type { Stores } from '#app/stores.ts';
import type { LocalStack } from '#local/local-stack.ts';
import type { CostMeter } from './cost-meter.ts';
import type { BenchClient } from './http-client.ts';
import type { ProjectorValve } from './projector-valve.ts';

/** What every group of figures runs against: one local stack for the whole run. */
export interface BenchContext {
  readonly stack: LocalStack;
  readonly api: BenchClient;
  /** A bare low-level client on the stack's engine: the storage floor. */
  readonly dynamo: DynamoDBClient;
  /** The stack's tables, by their role. */
  readonly tables: {
    readonly log: string;
    readonly history: string;
    readonly projection: string;
    readonly snapshots: string;
  };
  /** The store layer on the stack's tables, for seeding and checking (not for timing). */
  readonly stores: Stores;
  /** The snapshots, taken by the bench where the schedule would take them (its timer is off). */
  readonly snapshots: SnapshotStores;
  /** Holds back or drops the projector's stream records. */
  readonly valve: ProjectorValve;
  /** Counts the DynamoDB requests (and units) of everything in the process. */
  readonly meter: CostMeter;
}
