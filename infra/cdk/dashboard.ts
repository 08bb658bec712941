import { Aws, Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { LedgerHttpApi } from './http-api.ts';
import type { LedgerFunction } from './ledger-function.ts';

export interface LedgerDashboardProps {
  /** Also the name in the console, unique per account and region. */
  readonly dashboardName: string;
  readonly api: LedgerHttpApi;
  /** Alarms whose metric gets a graph of its own, with the threshold drawn in. */
  readonly signalAlarms: readonly Alarm[];
  /** Every alarm, for the status overview on top. */
  readonly allAlarms: readonly Alarm[];
  readonly functions: readonly LedgerFunction[];
}

const minute = Duration.minutes(1);

/** One page with the signals the alarms watch, each graph showing its alarm's threshold. */
export class LedgerDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: LedgerDashboardProps) {
    super(scope, id);
    this.url = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${props.dashboardName}`;
    const { api } = props.api;
    const functionMetrics = (pick: (fn: LedgerFunction) => IMetric) => props.functions.map(pick);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [
        [new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.allAlarms], width: 24 })],
        [
          new GraphWidget({
            title: 'API requests',
            left: [
              api.metricCount({ period: minute, label: 'requests' }),
              api.metricClientError({ period: minute, label: '4xx' }),
              api.metricServerError({ period: minute, label: '5xx' }),
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'Function throttles',
            left: functionMetrics((fn) =>
              fn.function.metricThrottles({ period: minute, label: fn.node.id }),
            ),
            width: 12,
          }),
        ],
        alarmGraphs(props.signalAlarms),
        [
          new GraphWidget({
            title: 'Function errors',
            left: functionMetrics((fn) =>
              fn.function.metricErrors({ period: minute, label: fn.node.id }),
            ),
            width: 24,
          }),
        ],
      ],
    });
  }

  /** The dashboard in the CloudWatch console. */
  readonly url: string;
}

function alarmGraphs(alarms: readonly Alarm[]): IWidget[] {
  return alarms.map(
    (alarm) =>
      new GraphWidget({
        title: alarm.node.id,
        left: [alarm.metric],
        leftAnnotations: [alarm.toAnnotation()],
        width: 8,
      }),
  );
}
