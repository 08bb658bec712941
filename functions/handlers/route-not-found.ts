import { RouteNotFoundError } from '#http/errors.ts';
import { httpHandler } from '#http/http-handler.ts';
import { matchRoute } from '#http/routes.ts';

/**
 * The catch-all route: answers what no route takes with a JSON 404, or 405 when the path exists
 * under another method.
 */
export const handler = httpHandler(async (request) => {
  matchRoute(request.method, request.path);
  throw new RouteNotFoundError(`No route for ${request.method} ${request.path}.`);
});
