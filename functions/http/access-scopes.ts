/**
 * The JWT scopes a token needs for each access level of the route table (routes.ts): one scope
 * per level, checked by API Gateway's JWT authorizer and asked for by the web console.
 */
export const accessScopes = {
  read: 'config:read',
  write: 'config:write',
} as const;
