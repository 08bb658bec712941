import { randomUUID } from 'node:crypto';
import type { DynamoDBStreamHandler } from 'aws-lambda';
import type { ChangeSink } from '#app/change-sink.ts';
import type { StreamPublisher } from '#handlers/publish-changes.ts';
import type { HttpLambda } from '#http/http-handler.ts';
import type { HandlerName } from '#http/routes.ts';
import { lambdaContext } from './lambda-context.ts';

export interface LoadedHandlers {
  readonly http: Readonly<Record<HandlerName, HttpLambda>>;
  readonly routeNotFound: HttpLambda;
  readonly projector: DynamoDBStreamHandler;
}

/**
 * Imports the Lambda handlers. Call it only once the environment is set up: like on Lambda,
 * handlers read their configuration when their module loads.
 */
/** One loader per routed handler: the record type makes a missing handler a type error. */
const httpHandlers: Readonly<Record<HandlerName, () => Promise<{ handler: HttpLambda }>>> = {
  'put-config': () => import('#handlers/put-config.ts'),
  'delete-config': () => import('#handlers/delete-config.ts'),
  'get-config': () => import('#handlers/get-config.ts'),
  'list-config': () => import('#handlers/list-config.ts'),
  'get-history': () => import('#handlers/get-history.ts'),
  'get-at': () => import('#handlers/get-at.ts'),
  'revert-config': () => import('#handlers/revert-config.ts'),
  'get-diff': () => import('#handlers/get-diff.ts'),
  'get-config-diff': () => import('#handlers/get-config-diff.ts'),
  'export-config': () => import('#handlers/export-config.ts'),
  'import-config': () => import('#handlers/import-config.ts'),
  'apply-changeset': () => import('#handlers/apply-changeset.ts'),
  'get-changes': () => import('#handlers/get-changes.ts'),
  'verify-log': () => import('#handlers/verify-log.ts'),
  'put-schema': () => import('#handlers/put-schema.ts'),
  'get-schema': () => import('#handlers/get-schema.ts'),
  'list-schemas': () => import('#handlers/list-schemas.ts'),
  'delete-schema': () => import('#handlers/delete-schema.ts'),
  'get-schema-history': () => import('#handlers/get-schema-history.ts'),
  health: () => import('#handlers/health.ts'),
  'get-openapi': () => import('#handlers/get-openapi.ts'),
};

/** The publisher, on its own, announcing to the sinks the local stack gives it. */
export async function loadPublisher(sinks: readonly ChangeSink[]): Promise<StreamPublisher> {
  return (await import('#handlers/publish-changes.ts')).publisherOf(sinks);
}

/** The snapshot taker, which a timer runs here as a schedule does on AWS. */
export async function loadSnapshotTaker(): Promise<() => Promise<unknown>> {
  const { handler } = await import('#handlers/take-snapshot.ts');
  return () => handler({}, lambdaContext('take-snapshot', randomUUID()));
}

export async function loadHandlers(): Promise<LoadedHandlers> {
  const loaded = await Promise.all(
    Object.entries(httpHandlers).map(async ([name, load]) => [name, (await load()).handler]),
  );
  const [routeNotFound, projector] = await Promise.all([
    import('#handlers/route-not-found.ts'),
    import('#handlers/projector.ts'),
  ]);
  return {
    http: Object.fromEntries(loaded) as Record<HandlerName, HttpLambda>,
    routeNotFound: routeNotFound.handler,
    projector: projector.handler,
  };
}
