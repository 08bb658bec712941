import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LocalStack } from '#local/local-stack.ts';
import type { BenchClient } from './http-client.ts';

/** What every group of figures runs against: one local stack for the whole run. */
export interface BenchContext {
  readonly stack: LocalStack;
  readonly api: BenchClient;
  /** A bare low-level client on the stack's engine: the storage floor. */
  readonly dynamo: DynamoDBClient;
  readonly tables: { readonly events: string; readonly projection: string };
}
