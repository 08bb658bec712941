import { accessScopes } from '#domain/access.ts';

export { accessScopes };

/**
 * The JWT scopes API Gateway's authorizer accepts on a route of each access level (routes.ts),
 * any one of them: it can only compare whole scopes, so a token limited to prefixes
 * (`config:write:payments.`) also carries `config:prefixed` to pass, and the handlers enforce its
 * prefixes (functions/domain/access.ts). Writing implies reading, so a write scope passes read
 * routes too.
 */
export const routeScopes = {
  read: [accessScopes.read, accessScopes.write, accessScopes.prefixed],
  write: [accessScopes.write, accessScopes.prefixed],
} as const;
