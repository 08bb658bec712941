import type { DynamoDBStreamEvent } from 'aws-lambda';
import { pushSinkTo } from '#sinks/push-sink.ts';
import { commitFromStreamRecord } from '#store/stream-records.ts';
import type { LocalStackConfig } from './config.ts';
import { ConfigurationError } from './config.ts';
import { type PushServer, startPushServer } from './push-server.ts';
import type { StreamConsumer } from './stream-delivery.ts';

/** AppSync Events on loopback, for the client's push (see push-server.ts). */
export async function startLocalPush(config: LocalStackConfig): Promise<PushServer> {
  try {
    return await startPushServer({ host: config.host, port: config.pushPort });
  } catch (error) {
    throw new ConfigurationError(
      `The push server could not start on ${config.host}:${config.pushPort}: ${(error as Error).message}. Set PUSH_PORT to a free port.`,
    );
  }
}

/**
 * The log's stream → the push, as a consumer of its own beside the projector: commits in order,
 * a failed publish failing the batch so the delivery retries it (at least once).
 */
export function pushConsumer(pushUrl: string): StreamConsumer {
  const sink = pushSinkTo(pushUrl, undefined);
  return async (event: DynamoDBStreamEvent) => {
    const commits = event.Records.flatMap((record) => commitFromStreamRecord(record) ?? []);
    if (commits.length > 0) await sink.publish(commits);
    return undefined;
  };
}
