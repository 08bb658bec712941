import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routes } from '#http/routes.ts';
import type { ConfigLedgerStack } from '../../infra/cdk/config-ledger-stack.ts';
import { synthesize } from './support/synth.ts';
import { functionLogicalId, logicalIdOf, resourceProperties } from './support/template-queries.ts';

const iam = synthesize();
const jwt = synthesize({
  context: {
    authMode: 'jwt',
    jwtIssuer: 'https://issuer.example.com/',
    jwtAudience: 'config-ledger-api,ops-console',
  },
});

type Json = Record<string, unknown>;

function routeResource(template: Template, routeKey: string): Json {
  const found = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter(
    (route) => route.Properties.RouteKey === routeKey,
  );
  expect(found).toHaveLength(1);
  return (found[0] as { Properties: Json }).Properties;
}

/** The function behind a route: route → integration → function. */
function integratedFunction(template: Template, route: Json): unknown {
  const target = JSON.stringify(route.Target);
  const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
  const [integration] = Object.entries(integrations).filter(([id]) => target.includes(`"${id}"`));
  if (!integration) throw new Error(`No integration for ${target}`);
  const { Properties: properties } = integration[1];
  expect(properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  return properties.IntegrationUri;
}

function functionArn(stack: ConfigLedgerStack, name: Parameters<typeof functionLogicalId>[1]) {
  return { 'Fn::GetAtt': [functionLogicalId(stack, name), 'Arn'] };
}

describe('Construct: LedgerHttpApi', () => {
  describe.each([
    ['IAM', iam],
    ['JWT', jwt],
  ])('%s authorization', (_, { stack, template }) => {
    it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
      'routes %s to its own function',
      (routeKey, route) => {
        // Act
        const resource = routeResource(template, routeKey);

        // Assess
        expect(integratedFunction(template, resource)).toEqual(functionArn(stack, route.handler));
      },
    );

    it('sends every other request to the catch-all function', () => {
      // Act
      const resource = routeResource(template, '$default');

      // Assess
      expect(integratedFunction(template, resource)).toEqual(functionArn(stack, 'route-not-found'));
      template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length + 1);
    });

    it('leaves only the health check public', () => {
      // Act
      const publicRoutes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
        .filter((route) => route.Properties.AuthorizationType === 'NONE')
        .map((route) => route.Properties.RouteKey);

      // Assess
      expect(publicRoutes).toEqual(['GET /health']);
    });

    it('logs every request as JSON, without bodies', () => {
      // Prepare
      const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
      if (!stage) throw new Error('No stage.');

      // Act
      const format = JSON.parse(stage.Properties.AccessLogSettings.Format);

      // Assess
      expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual({
        'Fn::GetAtt': [logicalIdOf(stack.httpApi.accessLogs), 'Arn'],
      });
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        userArn: '$context.identity.userArn',
        jwtSubject: '$context.authorizer.claims.sub',
        routeKey: '$context.routeKey',
        status: '$context.status',
      });
      expect(JSON.stringify(format)).not.toMatch(/body/i);
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    });

    it('throttles the stage', () => {
      // Assess
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      });
    });
  });

  describe('IAM authorization (the default)', () => {
    const { template } = iam;

    it("hands IAM principals' access by prefix to every route's function, and only when set", () => {
      // Prepare
      const policies = {
        'arn:aws:sts::123456789012:assumed-role/payments-*': ['config:write:payments.'],
      };
      const mapped = synthesize({ context: { iamAccessPolicies: JSON.stringify(policies) } });

      // Assess
      for (const route of routes) {
        const fn = resourceProperties(
          mapped.template,
          functionLogicalId(mapped.stack, route.handler),
        );
        const unmapped = resourceProperties(template, functionLogicalId(iam.stack, route.handler));
        expect(fn).toMatchObject({
          Environment: { Variables: { IAM_ACCESS_POLICIES: JSON.stringify(policies) } },
        });
        expect(JSON.stringify(unmapped)).not.toContain('IAM_ACCESS_POLICIES');
      }
    });

    it('requires SigV4 on every route but the health check, the catch-all included', () => {
      // Act
      const protectedRoutes = [
        ...routes.filter((route) => route.access !== 'public'),
        { method: '', path: '$default' },
      ];

      // Assess
      for (const route of protectedRoutes) {
        const key = route.method ? `${route.method} ${route.path}` : route.path;
        expect(routeResource(template, key)).toMatchObject({ AuthorizationType: 'AWS_IAM' });
        expect(routeResource(template, key).AuthorizationScopes).toBeUndefined();
      }
    });

    it('offers a managed policy per access level, reads and writes apart', () => {
      // Prepare
      // The push's readers policy is the PushApi's (push-api.test.ts).
      const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter(
        (policy) => !String(policy.Properties.Description).includes('watch'),
      );

      // Act
      const invoked = policies.map((policy) => {
        const [statement] = policy.Properties.PolicyDocument.Statement;
        expect(statement).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke' });
        return (statement.Resource as { 'Fn::Join': [string, unknown[]] }[])
          .map((resource) => resource['Fn::Join'][1].at(-1))
          .sort();
      });

      // Assess
      expect(invoked).toEqual([
        [
          '/*/GET/changes',
          '/*/GET/config',
          '/*/GET/config/*',
          '/*/GET/config/diff',
          '/*/GET/export',
          '/*/GET/openapi.json',
          '/*/GET/schemas',
          '/*/GET/schemas/*',
          '/*/GET/verify',
        ],
        [
          '/*/DELETE/config/*',
          '/*/DELETE/schemas/*',
          '/*/POST/changesets',
          '/*/POST/config/*',
          '/*/POST/import',
          '/*/PUT/config/*',
          '/*/PUT/schemas/*',
        ],
      ]);
      template.hasOutput('ReadersPolicyArn', {});
      template.hasOutput('WritersPolicyArn', {});
    });
  });

  describe('JWT authorization', () => {
    const { template } = jwt;

    it('validates tokens of the configured issuer and audiences', () => {
      // Assess
      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Issuer: 'https://issuer.example.com/',
          Audience: ['config-ledger-api', 'ops-console'],
        },
      });
    });

    it.each(
      routes
        .filter((route) => route.access !== 'public')
        .map((route) => [`${route.method} ${route.path}`, route.access] as const),
    )('accepts the scopes of the %s route’s level (%s)', (routeKey, access) => {
      // Act
      const route = routeResource(template, routeKey);

      // Assess: prefixed tokens pass with config:prefixed; the handlers enforce their prefixes.
      expect(route).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizationScopes:
          access === 'read'
            ? ['config:read', 'config:write', 'config:prefixed']
            : ['config:write', 'config:prefixed'],
      });
    });

    it('requires a valid token, and no scope, on the catch-all', () => {
      // Assess
      expect(routeResource(template, '$default')).toMatchObject({ AuthorizationType: 'JWT' });
      expect(routeResource(template, '$default').AuthorizationScopes).toBeUndefined();
    });

    it('creates no IAM invoke policies', () => {
      // Assess
      template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    });
  });
});
