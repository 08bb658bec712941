import { describe, expect, it } from 'vitest';
import { fullAccess, type Policy, policyFromScopes } from '#domain/access.ts';
import { AccessDeniedError } from '#domain/errors.ts';
import type { HttpRequest } from '#http/request.ts';
import { guardRoute, routeNames } from '#http/route-access.ts';
import { routes } from '#http/routes.ts';

const payments = policyFromScopes(['config:prefixed', 'config:write:payments.']);

function requestFor(policy: Policy, name?: string): HttpRequest {
  return {
    requestId: 'r',
    method: 'GET',
    path: '/',
    headers: {},
    query: {},
    pathParameters: name === undefined ? {} : { name },
    actor: 'test',
    policy,
  };
}

const keyOf = (route: (typeof routes)[number]) => `${route.method} ${route.path}`;
const protectedRoutes = routes.filter((route) => route.access !== 'public');

describe('Module: route-access', () => {
  it('says for every route of the table where its names are checked', () => {
    expect(Object.keys(routeNames).sort()).toEqual(routes.map((route) => route.handler).sort());
    for (const route of routes) {
      const namesInPath = route.path.includes('{name}') || route.path.includes('{target}');
      expect(routeNames[route.handler] === 'path-name').toBe(namesInPath);
    }
  });

  it.each(protectedRoutes.map((route) => [keyOf(route), route] as const))(
    '%s: refuses a caller with no access of its level at all',
    (key, route) => {
      const none = { read: [], write: [] };
      const reader = requestFor(policyFromScopes(['config:read:payments.']), 'payments.a');
      expect(() => guardRoute(key, requestFor(none, 'payments.a'))).toThrow(AccessDeniedError);
      if (route.access === 'write')
        expect(() => guardRoute(key, reader)).toThrow(AccessDeniedError);
      else expect(() => guardRoute(key, reader)).not.toThrow();
    },
  );

  it.each(routes.filter((route) => routeNames[route.handler] === 'path-name').map(keyOf))(
    '%s: refuses a {name} outside the prefixes, lets one inside through',
    (key) => {
      expect(() => guardRoute(key, requestFor(payments, 'search.secret'))).toThrow(
        AccessDeniedError,
      );
      expect(() => guardRoute(key, requestFor(payments, 'payments.a'))).not.toThrow();
    },
  );

  it('lets a caller with full access through every route', () => {
    for (const route of routes) {
      expect(() => guardRoute(keyOf(route), requestFor(fullAccess, 'search.a'))).not.toThrow();
    }
  });

  it('leaves the catch-all and public routes alone', () => {
    const none = { read: [], write: [] };
    expect(() => guardRoute('$default', requestFor(none))).not.toThrow();
    expect(() => guardRoute('GET /health', requestFor(none))).not.toThrow();
  });
});
