import type { Duration } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { changeSinkVariables } from '#sinks/change-sinks.ts';
import type { LedgerFunction } from './ledger-function.ts';
import type { LedgerTable } from './ledger-table.ts';
import { followLogStream } from './log-stream-consumer.ts';
import type { ChangeEventsSettings } from './settings.ts';

export interface ChangeEventsProps extends ChangeEventsSettings {
  /** The table whose stream carries the commits: the log. */
  readonly logTable: LedgerTable;
  /** The function that announces them: publish-changes. */
  readonly publisher: LedgerFunction;
  /** Every event's `source`: the stack's name, `config-ledger-<stage>`. */
  readonly source: string;
  /** Retries of a batch that cannot be published before it goes to the dead letters. @default 10 */
  readonly retryAttempts?: number;
  /** Records older than this go to the dead letters unpublished. @default Duration.hours(6) */
  readonly maxRecordAge?: Duration;
}

/**
 * Each change announced on Amazon EventBridge (docs/events.md): the bus (the stage's own, or the
 * account's default), and the publisher following the log's stream beside the projector, with
 * retries, a dead-letter queue and exactly `events:PutEvents` on that bus.
 *
 * A reader of its own rather than a part of the projector, so that an EventBridge outage never
 * holds back the projection and the reads, and has its own retries, dead letters and alarms.
 * Not EventBridge Pipes: a commit (a changeset) carries up to 100 changes and must become one
 * event per change, in order, which Pipes can only do with an enrichment function anyway.
 */
export class ChangeEvents extends Construct {
  readonly bus: IEventBus;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ChangeEventsProps) {
    super(scope, id);
    this.bus =
      props.bus === 'own'
        ? new EventBus(this, 'Bus', { description: `Changes of ${props.source}, one event each.` })
        : EventBus.fromEventBusName(this, 'Bus', 'default');
    const publisher = props.publisher;
    publisher.addEnvironment(changeSinkVariables.bus, this.bus.eventBusName);
    publisher.addEnvironment(changeSinkVariables.source, props.source);
    publisher.addEnvironment(changeSinkVariables.values, String(props.includeValues));
    this.bus.grantPutEventsTo(publisher.function);
    this.deadLetterQueue = followLogStream(this, props.logTable, publisher, {
      retryAttempts: props.retryAttempts,
      maxRecordAge: props.maxRecordAge,
    });
  }
}
