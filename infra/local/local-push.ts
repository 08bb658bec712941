import type { LocalStackConfig } from './config.ts';
import { ConfigurationError } from './config.ts';
import { type PushServer, startPushServer } from './push-server.ts';

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
