import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { ChangeSink } from '#app/change-sink.ts';
import { tracer } from '#shared/tracer.ts';
import { EventBridgeSink } from './event-bridge-sink.ts';
import { JsonLinesSink } from './json-lines-sink.ts';
import { pushSinkTo } from './push-sink.ts';

/**
 * The variables that choose where changes are announced; the deployment sets the bus, the local
 * stack the file. Each sink configured is published to; a new sink is one more line below.
 */
export const changeSinkVariables = {
  /** The EventBridge bus's name or ARN. */
  bus: 'CHANGE_EVENTS_BUS_NAME',
  /** A JSON Lines file (the local stack's stand-in for EventBridge). */
  file: 'CHANGE_EVENTS_FILE',
  /** Every event's `source`. @default POWERTOOLS_SERVICE_NAME, the stack's name */
  source: 'CHANGE_EVENTS_SOURCE',
  /** `true` puts each set's value in its event's detail (when it fits). @default false */
  values: 'CHANGE_EVENTS_VALUES',
  /** The push's HTTP publish endpoint: AppSync Events (https, signed), or the local stack's. */
  push: 'PUSH_PUBLISH_URL',
} as const;

export function changeSinksFromEnv(env: NodeJS.ProcessEnv = process.env): ChangeSink[] {
  const source = env[changeSinkVariables.source] || env.POWERTOOLS_SERVICE_NAME || 'config-ledger';
  const includeValues = env[changeSinkVariables.values] === 'true';
  const bus = env[changeSinkVariables.bus];
  const file = env[changeSinkVariables.file];
  const sinks: ChangeSink[] = [];
  if (bus) {
    const client = tracer.captureAWSv3Client(new EventBridgeClient({}));
    sinks.push(new EventBridgeSink(client, { busName: bus, source, includeValues }));
  }
  if (file) sinks.push(new JsonLinesSink({ file, source, includeValues }));
  const push = env[changeSinkVariables.push];
  if (push) sinks.push(pushSinkTo(push, env.AWS_REGION));
  if (sinks.length === 0) {
    throw new Error(
      `No change sink is configured: set ${changeSinkVariables.bus}, ${changeSinkVariables.file} or ${changeSinkVariables.push}.`,
    );
  }
  return sinks;
}
