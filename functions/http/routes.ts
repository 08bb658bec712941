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
  { method: 'GET', path: '/changes', handler: 'get-changes', access: 'read' },
  { method: 'GET', path: '/health', handler: 'health', access: 'public' },
  { method: 'GET', path: '/openapi.json', handler: 'get-openapi', access: 'read' },
] as const;

export type Route = (typeof routes)[number];
export type HandlerName = Route['handler'];

export interface RouteMatch {
  readonly route: Route;
  readonly pathParameters: Record<string, string>;
}

/** Finds the route for a request, or throws the 404/405 an unrouted request deserves. */
export function matchRoute(method: string, path: string): RouteMatch {
  // Literal segments win over parameters, as in API Gateway: /config/diff before /config/{name}.
  const candidates = routes
    .flatMap((route) => {
      const pathParameters = matchPath(route.path, path);
      return pathParameters ? [{ route, pathParameters }] : [];
    })
    .sort((a, b) => Object.keys(a.pathParameters).length - Object.keys(b.pathParameters).length);
  const match = candidates.find((candidate) => candidate.route.method === method);
  if (match) return match;
  if (candidates.length > 0) {
    throw new MethodNotAllowedError(
      method,
      candidates.map((candidate) => candidate.route.method),
    );
  }
  throw new RouteNotFoundError(`No route for ${method} ${path}. See the README for the API.`);
}

/** Path parameters of a template like /config/{name}, still percent-encoded as received. */
function matchPath(template: string, path: string): Record<string, string> | undefined {
  const expected = template.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const segment = actual[index] ?? '';
    const parameter = /^\{(\w+)\}$/.exec(part)?.[1];
    if (parameter) {
      if (segment === '') return undefined;
      parameters[parameter] = segment;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return parameters;
}
