import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import {
  historyTable,
  idempotencyTable,
  logTable,
  projectionTable,
  snapshotTable,
  type TableDefinition,
} from '#store/tables.ts';
import { AlarmTopic } from './alarm-topic.ts';
import { LedgerAlarms } from './alarms.ts';
import { Canary } from './canary.ts';
import { ChangeEvents } from './change-events.ts';
import { ConsoleHosting } from './console-hosting.ts';
import { LedgerDashboard } from './dashboard.ts';
import { functionCatalog } from './function-catalog.ts';
import { LedgerHttpApi } from './http-api.ts';
import type { DynamoDbAction } from './ledger-function.ts';
import { LedgerFunctions } from './ledger-functions.ts';
import { LedgerTable } from './ledger-table.ts';
import { stackNameOf } from './names.ts';
import { PushApi } from './push-api.ts';
import type { DeploymentSettings } from './settings.ts';
import { SnapshotSchedule } from './snapshot-schedule.ts';
import { StreamProjection } from './stream-projection.ts';

export interface ConfigLedgerStackProps extends StackProps {
  readonly settings: DeploymentSettings;
}

/**
 * The stack of one stage, named after it (`config-ledger-<stage>`) as its construct ID too, so
 * that the stages' stacks, assets and construct-path names never meet, even in one app.
 */
export function stageStack(scope: Construct, settings: DeploymentSettings): ConfigLedgerStack {
  return new ConfigLedgerStack(scope, stackNameOf(settings.stage), {
    description: `config-ledger (${settings.stage}): event-sourced configuration service (tables, API, projection).`,
    settings,
  });
}

/**
 * The whole service: tables, functions, the stream projection, change events, the HTTP API, the
 * canary, the snapshots' schedule, alarms and a dashboard. Environment-agnostic (no lookups), so it synthesizes without credentials.
 * Nothing in it has a fixed name: what must be named (alarms, the dashboard, the functions'
 * service name) is named after the stack, the rest is named by CloudFormation.
 */
export class ConfigLedgerStack extends Stack {
  readonly logTable: LedgerTable;
  readonly historyTable: LedgerTable;
  readonly projectionTable: LedgerTable;
  readonly idempotencyTable: LedgerTable;
  readonly snapshotTable: LedgerTable;
  readonly functions: LedgerFunctions;
  readonly streamProjection: StreamProjection;
  readonly changeEvents: ChangeEvents;
  readonly httpApi: LedgerHttpApi;
  /** Push to watching clients (AppSync Events). */
  readonly pushApi: PushApi;
  readonly canary: Canary;
  readonly snapshots: SnapshotSchedule;
  readonly alarmTopic: AlarmTopic;
  readonly alarms: LedgerAlarms;
  readonly dashboard: LedgerDashboard;
  /** The web console on CloudFront; only with `-c console=true` (JWT mode). */
  readonly console?: ConsoleHosting;

  constructor(scope: Construct, id: string, props: ConfigLedgerStackProps) {
    super(scope, id, props);
    const { settings } = props;
    // The log is the source of truth. The history and the projection are rebuilt from it, but
    // hold the stage's reads; the idempotency table, responses to writes sent with an
    // Idempotency-Key (each expires a day later, TTL). One rule for all: the stage's protectData.
    const tableOf = (definition: TableDefinition) =>
      new LedgerTable(this, definition.id, { definition, protectData: settings.protectData });
    this.logTable = tableOf(logTable);
    this.historyTable = tableOf(historyTable);
    this.projectionTable = tableOf(projectionTable);
    this.idempotencyTable = tableOf(idempotencyTable);
    this.snapshotTable = tableOf(snapshotTable);
    this.functions = new LedgerFunctions(this, 'Functions', {
      logTable: this.logTable,
      historyTable: this.historyTable,
      projectionTable: this.projectionTable,
      idempotencyTable: this.idempotencyTable,
      snapshotTable: this.snapshotTable,
      logLevel: settings.logLevel,
      tracing: settings.tracing,
      // Also the `service` dimension of the canary's metrics: one stage's canary must not feed
      // the other's alarm.
      serviceName: this.stackName,
    });
    this.streamProjection = new StreamProjection(this, 'StreamProjection', {
      logTable: this.logTable,
      projector: this.functions.get('projector'),
    });
    this.changeEvents = new ChangeEvents(this, 'ChangeEvents', {
      ...settings.changeEvents,
      logTable: this.logTable,
      publisher: this.functions.get('publish-changes'),
      // Names the stage, so that rules on a bus shared by stages tell their events apart.
      source: this.stackName,
    });
    this.httpApi = new LedgerHttpApi(this, 'Http', {
      auth: settings.auth,
      functions: this.functions,
    });
    this.pushApi = new PushApi(this, 'Push', { auth: settings.auth });
    this.pushApi.publishFrom(this.functions.get('publish-changes'));
    this.canary = new Canary(this, 'Canary', { canary: this.functions.get('canary') });
    this.snapshots = new SnapshotSchedule(this, 'SnapshotSchedule', {
      taker: this.functions.get('take-snapshot'),
    });
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      email: settings.alarmEmail,
      displayName: `${this.stackName} alarms`,
    });
    this.alarms = new LedgerAlarms(this, 'Alarms', {
      topic: this.alarmTopic.topic,
      api: this.httpApi,
      projector: this.functions.get('projector'),
      deadLetterQueue: this.streamProjection.deadLetterQueue,
      publisher: this.functions.get('publish-changes'),
      publisherDeadLetterQueue: this.changeEvents.deadLetterQueue,
      canary: this.canary,
      snapshotTaker: this.functions.get('take-snapshot'),
      functions: this.functions.all(),
      tables: [
        { table: this.logTable, operations: operationsOn('log') },
        { table: this.historyTable, operations: operationsOn('history') },
        { table: this.projectionTable, operations: operationsOn('projection') },
        { table: this.idempotencyTable, operations: operationsOn('idempotency') },
        { table: this.snapshotTable, operations: operationsOn('snapshots') },
      ],
    });
    this.dashboard = new LedgerDashboard(this, 'Dashboard', {
      dashboardName: this.stackName,
      api: this.httpApi,
      signalAlarms: this.alarms.signalAlarms,
      allAlarms: this.alarms.all,
      functions: this.functions.all(),
    });
    if (settings.console) {
      this.console = new ConsoleHosting(this, 'Console', {
        ...settings.console,
        apiUrl: this.httpApi.url,
      });
    }
    this.addOutputs();
  }

  private addOutputs(): void {
    const api = this.httpApi;
    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API.' });
    new CfnOutput(this, 'PushUrl', {
      value: this.pushApi.url,
      description: "The push's URL for the client (ConfigReader's push.url): AppSync Events.",
    });
    new CfnOutput(this, 'LogTableName', { value: this.logTable.tableName });
    new CfnOutput(this, 'HistoryTableName', { value: this.historyTable.tableName });
    new CfnOutput(this, 'ProjectionTableName', { value: this.projectionTable.tableName });
    new CfnOutput(this, 'SnapshotTableName', { value: this.snapshotTable.tableName });
    new CfnOutput(this, 'ChangeEventsBusName', {
      value: this.changeEvents.bus.eventBusName,
      description: `The EventBridge bus each change is announced on, with source ${this.stackName}.`,
    });
    new CfnOutput(this, 'DashboardUrl', { value: this.dashboard.url });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topic.topicArn,
      description: 'Subscribe on-call tooling here.',
    });
    new CfnOutput(this, 'RebuildFunctionName', {
      value: this.functions.get('rebuild-projection').function.functionName,
      description: 'Invoke by hand to apply the whole log again to the history and the projection.',
    });
    if (this.console) {
      new CfnOutput(this, 'ConsoleUrl', {
        value: this.console.url,
        description: 'The web console; register this address as the sign-in redirect URI.',
      });
      if (this.console.host !== this.console.distribution.distributionDomainName) {
        new CfnOutput(this, 'ConsoleDnsTarget', {
          value: this.console.distribution.distributionDomainName,
          description: "Point the console's host name here (a CNAME, or an alias record).",
        });
      }
    }
    if (api.invokePolicies) {
      new CfnOutput(this, 'ReadersPolicyArn', {
        value: api.invokePolicies.readers.managedPolicyArn,
        description: 'Attach to principals that read configuration.',
      });
      new CfnOutput(this, 'WritersPolicyArn', {
        value: api.invokePolicies.writers.managedPolicyArn,
        description: 'Attach (with the readers policy) to principals that change configuration.',
      });
    }
    if (this.pushApi.readers) {
      new CfnOutput(this, 'PushReadersPolicyArn', {
        value: this.pushApi.readers.managedPolicyArn,
        description: 'Attach to principals that watch changes by push.',
      });
    }
  }
}

/** The DynamoDB operations the catalog's functions perform on a table, for its alarms. */
function operationsOn(
  table: 'log' | 'history' | 'projection' | 'idempotency' | 'snapshots',
): Operation[] {
  const actions = new Set<DynamoDbAction>();
  for (const spec of Object.values(functionCatalog)) {
    const use = spec[table];
    for (const action of use?.actions ?? []) actions.add(action);
    if (use?.queriedIndexes?.length) actions.add('dynamodb:Query');
  }
  return [...actions].map((action) => operationOf[action]);
}

const operationOf: Readonly<Record<DynamoDbAction, Operation>> = {
  'dynamodb:GetItem': Operation.GET_ITEM,
  'dynamodb:BatchGetItem': Operation.BATCH_GET_ITEM,
  'dynamodb:PutItem': Operation.PUT_ITEM,
  'dynamodb:UpdateItem': Operation.UPDATE_ITEM,
  'dynamodb:DeleteItem': Operation.DELETE_ITEM,
  'dynamodb:BatchWriteItem': Operation.BATCH_WRITE_ITEM,
  'dynamodb:Query': Operation.QUERY,
  'dynamodb:Scan': Operation.SCAN,
};
