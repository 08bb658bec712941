import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Operation } from 'aws-cdk-lib/aws-dynamodb';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Canary } from './canary.ts';
import type { LedgerHttpApi } from './http-api.ts';
import type { LedgerFunction } from './ledger-function.ts';
import type { LedgerTable } from './ledger-table.ts';

export interface AlarmThresholds {
  /** Age of the oldest stream record the projector has not processed. */
  readonly iteratorAgeMs: number;
  /** Age of the oldest stream record the publisher has not announced. */
  readonly publisherIteratorAgeMs: number;
  /** Lag the canary measures from a heartbeat write to its projection. */
  readonly canaryLagMs: number;
  /** Share of API requests answered 5xx, in percent (only with at least 10 requests a minute). */
  readonly api5xxPercent: number;
  /** 99th percentile of API latency. */
  readonly apiP99LatencyMs: number;
}

export const defaultThresholds: AlarmThresholds = {
  iteratorAgeMs: 60_000,
  publisherIteratorAgeMs: 5 * 60_000,
  canaryLagMs: 5_000,
  api5xxPercent: 5,
  apiP99LatencyMs: 2_000,
};

export interface MonitoredTable {
  readonly table: LedgerTable;
  /** The operations the functions perform on it, whose throttles and errors count. */
  readonly operations: readonly Operation[];
}

export interface LedgerAlarmsProps {
  readonly topic: ITopic;
  readonly api: LedgerHttpApi;
  readonly projector: LedgerFunction;
  readonly deadLetterQueue: IQueue;
  /** The function that announces changes (publish-changes), and where its failures go. */
  readonly publisher: LedgerFunction;
  readonly publisherDeadLetterQueue: IQueue;
  readonly canary: Canary;
  /** The function that takes snapshots of the whole configuration (take-snapshot). */
  readonly snapshotTaker: LedgerFunction;
  /** Every function: each gets a throttles alarm. */
  readonly functions: readonly LedgerFunction[];
  readonly tables: readonly MonitoredTable[];
  /** @default defaultThresholds */
  readonly thresholds?: Partial<AlarmThresholds>;
}

interface AlarmSpec {
  readonly metric: IMetric;
  readonly threshold: number;
  readonly description: string;
  /** @default GREATER_THAN_OR_EQUAL_TO_THRESHOLD */
  readonly comparison?: ComparisonOperator;
  /** @default 5 one-minute periods, 3 of which must breach */
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  /** @default NOT_BREACHING: most of these metrics only exist while something happens */
  readonly treatMissingData?: TreatMissingData;
  /** @default the signal alarms */
  readonly group?: Alarm[];
}

interface StreamReaderAlarms {
  readonly reader: LedgerFunction;
  readonly deadLetterQueue: IQueue;
  /** The alarms' names: iterator age, errors, dead letters. */
  readonly names: readonly [string, string, string];
  readonly iteratorAgeMs: number;
  /** What each of them means, in the same order. */
  readonly descriptions: readonly [string, string, string];
}

const minute = Duration.minutes(1);

/**
 * The alarms of the README's runbook, each notifying the topic when it fires and when it
 * recovers. Names start with the stack name, so a notification says which deployment it is about.
 */
export class LedgerAlarms extends Construct {
  /** One alarm per signal of the service. */
  readonly signalAlarms: Alarm[] = [];
  /** One throttles alarm per function. */
  readonly throttleAlarms: Alarm[] = [];
  private readonly topic: ITopic;

  constructor(scope: Construct, id: string, props: LedgerAlarmsProps) {
    super(scope, id);
    this.topic = props.topic;
    const thresholds = { ...defaultThresholds, ...props.thresholds };
    this.addStreamReaderAlarms({
      reader: props.projector,
      deadLetterQueue: props.deadLetterQueue,
      names: ['ProjectorIteratorAge', 'ProjectorErrors', 'DeadLettersNotEmpty'],
      iteratorAgeMs: thresholds.iteratorAgeMs,
      descriptions: [
        'The projector is falling behind the log stream.',
        'Projector invocations fail as a whole: a crash, a timeout, or every record of a batch failing.',
        'Stream records gave up on: the projector stops at them until it can apply them (reads beyond wait, then answer 503).',
      ],
    });
    // The publisher falls behind or fails on its own: the projection and the reads do not.
    this.addStreamReaderAlarms({
      reader: props.publisher,
      deadLetterQueue: props.publisherDeadLetterQueue,
      names: ['PublisherIteratorAge', 'PublisherErrors', 'PublisherDeadLettersNotEmpty'],
      iteratorAgeMs: thresholds.publisherIteratorAgeMs,
      descriptions: [
        'Change events fall behind the log: EventBridge rules see changes late.',
        'Publisher invocations fail as a whole: a crash, a timeout, or no sink taking the batch.',
        'Change events were given up on: the changes are in the log, but their events were never published.',
      ],
    });
    this.add('CanaryLag', {
      metric: props.canary.metricProjectionLag(minute),
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: thresholds.canaryLagMs,
      // No measurement at all (the canary failed or did not run) is as bad as a slow one.
      treatMissingData: TreatMissingData.BREACHING,
      description: 'Commits wait too long to reach the projection, or the canary cannot measure.',
    });
    this.add('SnapshotErrors', {
      metric: props.snapshotTaker.function.metricErrors({ period: minute }),
      threshold: 1,
      description:
        'Snapshots fail: the configuration at a past point is still right, but read from the projection at a cost that grows with the names changed since.',
    });
    this.addApiAlarms(props.api, thresholds);
    for (const fn of props.functions) {
      this.add(`${fn.node.id}Throttles`, {
        metric: fn.function.metricThrottles({ period: minute }),
        threshold: 1,
        description: `The ${fn.node.id} function is throttled (concurrency limit reached).`,
        group: this.throttleAlarms,
      });
    }
    for (const { table, operations } of props.tables) this.addTableAlarms(table, operations);
  }

  /** A reader of the log's stream: how far behind it is, whole failures, and what it gave up on. */
  private addStreamReaderAlarms(spec: StreamReaderAlarms): void {
    const [iteratorAge, errors, deadLetters] = spec.names;
    const [behind, failing, givenUp] = spec.descriptions;
    this.add(iteratorAge, {
      metric: spec.reader.function.metric('IteratorAge', { statistic: 'Maximum', period: minute }),
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: spec.iteratorAgeMs,
      description: behind,
    });
    this.add(errors, {
      metric: spec.reader.function.metricErrors({ period: minute }),
      threshold: 1,
      description: failing,
    });
    this.add(deadLetters, {
      metric: spec.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: minute,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // An idle queue stops reporting; keep the alarm raised until someone empties it.
      treatMissingData: TreatMissingData.IGNORE,
      description: givenUp,
    });
  }

  private addApiAlarms(api: LedgerHttpApi, thresholds: AlarmThresholds): void {
    this.add('Api5xxRate', {
      metric: new MathExpression({
        // Below 10 requests a minute one failure is no rate: the canary watches quiet periods.
        expression: 'IF(requests >= 10, 100 * FILL(errors, 0) / requests, 0)',
        usingMetrics: {
          errors: api.api.metricServerError({ period: minute }),
          requests: api.api.metricCount({ period: minute }),
        },
        label: 'API 5xx (%)',
        period: minute,
      }),
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: thresholds.api5xxPercent,
      description: 'A share of API requests fails with a server error.',
    });
    this.add('ApiLatencyP99', {
      metric: api.api.metricLatency({ statistic: 'p99', period: minute }),
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: thresholds.apiP99LatencyMs,
      description: 'The slowest 1% of API requests are too slow.',
    });
  }

  private addTableAlarms(table: LedgerTable, operations: readonly Operation[]): void {
    const name = table.definition.id;
    this.add(`${name}TableThrottles`, {
      metric: sumOverOperations(table, 'ThrottledRequests', operations),
      threshold: 1,
      description: `Requests to the ${name.toLowerCase()} table are throttled.`,
    });
    this.add(`${name}TableSystemErrors`, {
      metric: sumOverOperations(table, 'SystemErrors', operations),
      threshold: 1,
      description: `DynamoDB answers requests to the ${name.toLowerCase()} table with errors of its own.`,
    });
  }

  private add(id: string, spec: AlarmSpec): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${Stack.of(this).stackName}-${id}`,
      alarmDescription: `${spec.description} Runbook: README, "Alarms and runbook", ${id}.`,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 5,
      datapointsToAlarm: spec.datapointsToAlarm ?? 3,
      treatMissingData: spec.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    (spec.group ?? this.signalAlarms).push(alarm);
    return alarm;
  }

  get all(): Alarm[] {
    return [...this.signalAlarms, ...this.throttleAlarms];
  }
}

/**
 * DynamoDB reports these per operation, and only when they happen: each series is filled with
 * zeros before summing, or one quiet operation would blank the sum.
 */
function sumOverOperations(
  table: LedgerTable,
  metricName: string,
  operations: readonly Operation[],
): MathExpression {
  const usingMetrics: Record<string, Metric> = {};
  for (const operation of operations) {
    usingMetrics[operation.toLowerCase()] = table.table.metric(metricName, {
      dimensionsMap: { TableName: table.tableName, Operation: operation },
      statistic: 'Sum',
      period: minute,
    });
  }
  const terms = Object.keys(usingMetrics).map((key) => `FILL(${key}, 0)`);
  return new MathExpression({
    expression: terms.join(' + '),
    usingMetrics,
    label: `${table.definition.id} ${metricName}`,
    period: minute,
  });
}
