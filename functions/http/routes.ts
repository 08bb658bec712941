import { MethodNotAllowedError, RouteNotFoundError } from './errors.ts';

/**
 * The HTTP API, one route per operation: the local gateway routes requests with this table and
 * the CDK stack creates one API Gateway route (and one function, named by `handler`, in
 * functions/handlers/) per entry.
 */
export const routes = [
  { method: 'PUT', path: '/config/{name}', handler: 'put-config', access: 'write' },
  { method: 'DELETE', path: '/config/{name}', handler: 'delete-config', access: 'write' },
  { method: 'GET', path: '/config/{name}', handler: 'get-config', access: 'read' },
  { method: 'GET', path: '/config', handler: 'list-config', access: 'read' },
  { method: 'GET', path: '/config/{name}/history', handler: 'get-history', access: 'read' },
  { method: 'GET', path: '/config/{name}/at/{timestamp}', handler: 'get-at', access: 'read' },
  { method: 'POST', path: '/config/{name}/revert', handler: 'revert-config', access: 'write' },
  { method: 'GET', path: '/config/{name}/diff', handler: 'get-diff', access: 'read' },
  { method: 'GET', path: '/config/diff', handler: 'get-config-diff', access: 'read' },
  { method: 'GET', path: '/export', handler: 'export-config', access: 'read' },
  { method: 'POST', path: '/import', handler: 'import-config', access: 'write' },
  { method: 'POST', path: '/changesets', handler: 'apply-changeset', access: 'write' },
  { method: 'GET', path: '/changes', handler: 'get-changes', access: 'read' },
  { method: 'GET', path: '/verify', handler: 'verify-log', access: 'read' },
  { method: 'PUT', path: '/schemas/{target}', handler: 'put-schema', access: 'write' },
  { method: 'GET', path: '/schemas/{target}', handler: 'get-schema', access: 'read' },
  { method: 'GET', path: '/schemas', handler: 'list-schemas', access: 'read' },
  { method: 'DELETE', path: '/schemas/{target}', handler: 'delete-schema', access: 'write' },
  {
    method: 'GET',
    path: '/schemas/{target}/history',
    handler: 'get-schema-history',
    access: 'read',
  },
  { method: 'GET', path: '/health', handler: 'health', access: 'public' },
  { method: 'GET', path: '/openapi.json', handler: 'get-openapi', access: 'read' },
] as const;

export type Route = (typeof routes)[number];
export type HandlerName = Route['handler'];

export interface RouteMatch {
  readonly route: Route;
  readonly pathParameters: Record<string, string>;
}

/** A route's template split once: `{name}` segments are parameters, the rest literal. */
const compiledRoutes = routes
  .map((route) => ({
    route,
    segments: route.path
      .split('/')
      .map((part) => /^\{(\w+)\}$/.exec(part)?.[1] ?? { literal: part }),
  }))
  // Literal segments win over parameters, as in API Gateway: /config/diff before /config/{name}.
  .sort((a, b) => parameterCount(a.segments) - parameterCount(b.segments));

type Segment = string | { literal: string };

function parameterCount(segments: readonly Segment[]): number {
  return segments.filter((segment) => typeof segment === 'string').length;
}

/** Finds the route for a request, or throws the 404/405 an unrouted request deserves. */
export function matchRoute(method: string, path: string): RouteMatch {
  const actual = path.split('/');
  const candidates = compiledRoutes.flatMap(({ route, segments }) => {
    const pathParameters = matchSegments(segments, actual);
    return pathParameters ? [{ route, pathParameters }] : [];
  });
  const match = candidates.find((candidate) => candidate.route.method === method);
  if (match) return match;
  if (candidates.length > 0) {
    const allowed = [...new Set(candidates.map((candidate) => candidate.route.method))];
    throw new MethodNotAllowedError(method, allowed);
  }
  throw new RouteNotFoundError(`No route for ${method} ${path}. See the README for the API.`);
}

/** Path parameters of a compiled template, still percent-encoded as received. */
function matchSegments(
  segments: readonly Segment[],
  actual: readonly string[],
): Record<string, string> | undefined {
  if (segments.length !== actual.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = actual[index] ?? '';
    if (typeof segment !== 'string') {
      if (segment.literal !== part) return undefined;
    } else if (part === '') {
      return undefined;
    } else {
      parameters[segment] = part;
    }
  }
  return parameters;
}
