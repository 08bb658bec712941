import { Validations } from 'aws-cdk-lib';
import type { HttpRoute, IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { routeScopes } from '#http/access-scopes.ts';
import { principalPoliciesVariable } from '#http/caller-policy.ts';
import type { Route } from '#http/routes.ts';
import { wildcardResourceFinding } from './nag-findings.ts';

/** How callers prove who they are: AWS SigV4 (IAM), or a JWT from an OIDC/OAuth2 issuer. */
export type ApiAuth =
  | {
      readonly mode: 'iam';
      /**
       * Access by prefix for IAM principals: ARN pattern (`*` for any characters) → scopes
       * (`config:write:payments.`), handed to every route's function (docs/access.md).
       * @default - every principal the IAM policies let in has full access
       */
      readonly principalPolicies?: Readonly<Record<string, readonly string[]>>;
    }
  | {
      readonly mode: 'jwt';
      /** The token issuer (`iss`), an https URL. */
      readonly issuer: string;
      /** Accepted audiences (`aud`, or `client_id` for access tokens). */
      readonly audience: readonly string[];
    };

export type ProtectedAccess = Exclude<Route['access'], 'public'>;

/** Hands IAM principals' access by prefix, if any, to a route's function, which enforces it. */
export function passPrincipalPolicies(
  auth: ApiAuth,
  fn: { addEnvironment(name: string, value: string): void },
): void {
  if (auth.mode !== 'iam' || auth.principalPolicies === undefined) return;
  fn.addEnvironment(principalPoliciesVariable, JSON.stringify(auth.principalPolicies));
}

/** The one authorizer of every protected route, catch-all included. */
export function createAuthorizer(auth: ApiAuth): IHttpRouteAuthorizer {
  if (auth.mode === 'iam') return new HttpIamAuthorizer();
  return new HttpJwtAuthorizer('JwtAuthorizer', auth.issuer, { jwtAudience: [...auth.audience] });
}

/**
 * Scopes a route accepts, any one of them: with JWT, those of its access level (prefixed access
 * is enforced by the handlers); with IAM, none.
 */
export function scopesFor(auth: ApiAuth, access: Route['access']): string[] | undefined {
  if (auth.mode === 'iam' || access === 'public') return undefined;
  return [...routeScopes[access]];
}

export interface InvokePoliciesProps {
  /** The IAM-authorized routes, each with its access level. */
  readonly routes: readonly { readonly route: HttpRoute; readonly access: ProtectedAccess }[];
}

/**
 * With IAM authorization, one managed policy per access level: attach the readers' policy to a
 * role that only reads, both to one that also writes.
 */
export class InvokePolicies extends Construct {
  readonly readers: ManagedPolicy;
  readonly writers: ManagedPolicy;

  constructor(scope: Construct, id: string, props: InvokePoliciesProps) {
    super(scope, id);
    this.readers = this.policyFor('Readers', 'read', props);
    this.writers = this.policyFor('Writers', 'write', props);
  }

  private policyFor(id: string, access: ProtectedAccess, props: InvokePoliciesProps) {
    // A route with path parameters is authorized on the request path, so its ARN ends in `*`;
    // routes that share a prefix share that ARN.
    const arns = [
      ...new Set(props.routes.filter((r) => r.access === access).map((r) => r.route.routeArn)),
    ];
    const policy = new ManagedPolicy(this, id, {
      description: `Lets a principal call the config-ledger API's ${access} routes.`,
      statements: [new PolicyStatement({ actions: ['execute-api:Invoke'], resources: arns })],
    });
    for (const arn of arns.filter((candidate) => candidate.includes('*'))) {
      Validations.of(policy).acknowledge({
        id: wildcardResourceFinding(arn, policy),
        reason: `The ${access} routes of this API only: the wildcards stand for the stage and for path parameters (config names, instants), which IAM matches against the request path.`,
      });
    }
    return policy;
  }
}
