import type { DynamoDBStreamHandler } from 'aws-lambda';
import type { HttpLambda } from '#http/http-handler.ts';
import type { HandlerName } from '#http/routes.ts';

export interface LoadedHandlers {
  readonly http: Readonly<Record<HandlerName, HttpLambda>>;
  readonly routeNotFound: HttpLambda;
  readonly projector: DynamoDBStreamHandler;
}

/**
 * Imports the Lambda handlers. Call it only once the environment is set up: like on Lambda,
 * handlers read their configuration when their module loads.
 */
export async function loadHandlers(): Promise<LoadedHandlers> {
  const [put, del, get, list, history, at, changes, health, routeNotFound, projector] =
    await Promise.all([
      import('#handlers/put-config.ts'),
      import('#handlers/delete-config.ts'),
      import('#handlers/get-config.ts'),
      import('#handlers/list-config.ts'),
      import('#handlers/get-history.ts'),
      import('#handlers/get-at.ts'),
      import('#handlers/get-changes.ts'),
      import('#handlers/health.ts'),
      import('#handlers/route-not-found.ts'),
      import('#handlers/projector.ts'),
    ]);
  return {
    http: {
      'put-config': put.handler,
      'delete-config': del.handler,
      'get-config': get.handler,
      'list-config': list.handler,
      'get-history': history.handler,
      'get-at': at.handler,
      'get-changes': changes.handler,
      health: health.handler,
    },
    routeNotFound: routeNotFound.handler,
    projector: projector.handler,
  };
}
