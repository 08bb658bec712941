import { describe, expect, it } from 'vitest';
import { MethodNotAllowedError, RouteNotFoundError } from '#http/errors.ts';
import { matchRoute } from '#http/routes.ts';

describe('Function: matchRoute', () => {
  it('finds the route and its still-encoded path parameters', () => {
    const match = matchRoute('GET', '/config/a.b/at/2026-02-12T10%3A00%3A00Z');
    expect(match.route.handler).toBe('get-at');
    expect(match.pathParameters).toEqual({ name: 'a.b', timestamp: '2026-02-12T10%3A00%3A00Z' });
  });

  it('prefers a literal segment to a parameter: /config/diff is its own route', () => {
    expect(matchRoute('GET', '/config/diff').route.handler).toBe('get-config-diff');
    expect(matchRoute('GET', '/config/diffs').route.handler).toBe('get-config');
  });

  it('answers 405 with each allowed method once when the path exists under others', () => {
    expect(() => matchRoute('POST', '/config/diff')).toThrow(MethodNotAllowedError);
    try {
      matchRoute('PATCH', '/config/x');
    } catch (error) {
      expect((error as MethodNotAllowedError).allowedMethods).toEqual(['PUT', 'DELETE', 'GET']);
    }
  });

  it('answers 404 for unknown paths and empty parameters', () => {
    expect(() => matchRoute('GET', '/nothing')).toThrow(RouteNotFoundError);
    expect(() => matchRoute('GET', '/config/')).toThrow(RouteNotFoundError);
    expect(() => matchRoute('GET', '/config/a/b/c')).toThrow(RouteNotFoundError);
  });
});
