import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { LedgerFunction } from './ledger-function.ts';

export interface SnapshotScheduleProps {
  /** The function that takes snapshots (functions/handlers/take-snapshot.ts). */
  readonly taker: LedgerFunction;
  /** @default Duration.minutes(1) */
  readonly interval?: Duration;
}

/**
 * Runs the snapshot taker on a schedule. Most runs read two items and find nothing due; a
 * snapshot is taken once the commits since the last one outnumber its entries.
 */
export class SnapshotSchedule extends Construct {
  constructor(scope: Construct, id: string, props: SnapshotScheduleProps) {
    super(scope, id);
    new Rule(this, 'Schedule', {
      description: 'Runs the config-ledger snapshot taker.',
      schedule: Schedule.rate(props.interval ?? Duration.minutes(1)),
      // A missed run is not worth retrying: the next one is a minute away, and does the same.
      targets: [new LambdaFunction(props.taker.function, { retryAttempts: 0 })],
    });
  }
}
