import * as z from 'zod/mini';
import { fullAccess, type Policy, policyFromScopes, unionOf } from '#domain/access.ts';

/**
 * IAM principals' access, by ARN pattern (`*` stands for any run of characters): a principal
 * gets everything the patterns it matches grant, as scopes. A principal no pattern matches
 * keeps full access, limited only by the IAM policy that lets it invoke the routes (as before
 * the mapping existed); a catch-all `"*": []` denies everyone not listed.
 */
export type PrincipalPolicies = ReadonlyMap<RegExp, Policy>;

/** The variable that holds the mapping, as JSON: `{"<ARN pattern>": ["config:read:shared."]}`. */
export const principalPoliciesVariable = 'IAM_ACCESS_POLICIES';

const mappingSchema = z.record(z.string().check(z.minLength(1)), z.array(z.string()));

/** Reads the mapping; throws (at load, not on a request) when it is not the expected JSON. */
export function parsePrincipalPolicies(json: string | undefined): PrincipalPolicies {
  if (json === undefined || json.trim() === '') return new Map();
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`${principalPoliciesVariable} is not JSON.`);
  }
  const mapping = mappingSchema.safeParse(raw);
  if (!mapping.success) {
    throw new Error(
      `${principalPoliciesVariable} must map ARN patterns to lists of scopes, e.g. {"arn:aws:sts::123456789012:assumed-role/payments-*": ["config:write:payments."]}.`,
    );
  }
  return new Map(
    Object.entries(mapping.data).map(([pattern, scopes]) => [
      arnPattern(pattern),
      policyFromScopes(scopes),
    ]),
  );
}

function arnPattern(pattern: string): RegExp {
  const literal = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${literal.join('.*')}$`, 's');
}

const authorizerSchema = z.object({
  iam: z.optional(z.object({ userArn: z.string() })),
  jwt: z.optional(
    z.object({
      claims: z.optional(z.record(z.string(), z.unknown())),
      scopes: z.nullish(z.array(z.string())),
    }),
  ),
  lambda: z.optional(z.object({ scopes: z.optional(z.string()) })),
});

/**
 * The caller's access, from what API Gateway's authorizer established (never from a header the
 * caller could forge): a JWT's scopes; an IAM principal's mapping; a Lambda authorizer's
 * `scopes`, when it gives any. A caller with none of these (no authorizer, or a Lambda authorizer
 * without scopes, as the local stack's by default) has full access: the route's own
 * authorization is all there is, as before access by prefix existed.
 */
export function policyOfCaller(authorizer: unknown, principals: PrincipalPolicies): Policy {
  const parsed = authorizerSchema.safeParse(authorizer ?? {});
  // An authorizer context we cannot read grants nothing rather than everything.
  if (!parsed.success) return policyFromScopes([]);
  const { iam, jwt, lambda } = parsed.data;
  if (jwt) return policyFromScopes(jwtScopes(jwt));
  if (iam) return principalPolicy(iam.userArn, principals);
  if (lambda?.scopes !== undefined) return policyFromScopes(lambda.scopes.split(/\s+/));
  return fullAccess;
}

/**
 * A JWT's scopes: the `scope` claim (OAuth 2.0, space-separated) and `scp` (Okta, Entra ID), and
 * API Gateway's own list when it gives one. API Gateway hands claims over as strings, an array
 * claim as `[a b c]`.
 */
function jwtScopes(jwt: { claims?: Record<string, unknown>; scopes?: string[] | null }): string[] {
  return [
    ...(jwt.scopes ?? []),
    ...claimScopes(jwt.claims?.scope),
    ...claimScopes(jwt.claims?.scp),
  ];
}

function claimScopes(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((scope) => typeof scope === 'string');
  if (typeof claim !== 'string') return [];
  return claim.replace(/^\[(.*)\]$/s, '$1').split(/[\s,]+/);
}

function principalPolicy(arn: string, principals: PrincipalPolicies): Policy {
  const matching = [...principals].filter(([pattern]) => pattern.test(arn));
  return matching.length === 0 ? fullAccess : unionOf(matching.map(([, policy]) => policy));
}
