import { assertMayAccess, assertMayUseAtAll } from '#domain/access.ts';
import type { HttpRequest } from './request.ts';
import { type HandlerName, type Route, routes } from './routes.ts';

/**
 * How a route's handler meets names, which says where access by prefix is enforced:
 * - `path-name`: one name, the `{name}` of its path (or the `{target}` of a schema, a name or a
 *   prefix, which the caller's prefixes must cover): checked here, before the handler runs, so
 *   the answer is the same 403 whether the entry exists or not;
 * - `in-handler`: names from a query or a body (listings, diffs, export, the feed, import,
 *   changesets): the handler filters to what the caller may read, or refuses the whole request,
 *   with `request.policy`;
 * - `no-names`: touches no entry.
 * A route missing here is a type error: every new route says how it is enforced.
 */
export const routeNames = {
  'put-config': 'path-name',
  'delete-config': 'path-name',
  'get-config': 'path-name',
  'list-config': 'in-handler',
  'get-history': 'path-name',
  'get-at': 'path-name',
  'revert-config': 'path-name',
  'get-diff': 'path-name',
  'get-config-diff': 'in-handler',
  'export-config': 'in-handler',
  'import-config': 'in-handler',
  'apply-changeset': 'in-handler',
  'get-changes': 'in-handler',
  'verify-log': 'in-handler',
  'put-schema': 'path-name',
  'get-schema': 'path-name',
  'list-schemas': 'in-handler',
  'delete-schema': 'path-name',
  'get-schema-history': 'path-name',
  health: 'no-names',
  'get-openapi': 'no-names',
} as const satisfies Record<HandlerName, 'path-name' | 'in-handler' | 'no-names'>;

const routesByKey = new Map<string, Route>(
  routes.map((route) => [`${route.method} ${route.path}`, route]),
);

/**
 * Refuses a request its caller's policy does not allow, as far as the route table tells: a
 * route of a level the caller has no access of at all, or a `{name}` outside its prefixes. Runs
 * for every request, before its handler (see httpHandler). The catch-all answers 404/405 and
 * reads nothing, so it needs no check.
 */
export function guardRoute(routeKey: string, request: HttpRequest): void {
  const route = routesByKey.get(routeKey);
  if (route === undefined || route.access === 'public') return;
  assertMayUseAtAll(request.policy, route.access);
  const name = request.pathParameters.name ?? request.pathParameters.target;
  if (routeNames[route.handler] === 'path-name' && name !== undefined) {
    assertMayAccess(request.policy, route.access, name);
  }
}
