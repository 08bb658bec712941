import { Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routes } from '#http/routes.ts';
import {
  type ApiAuth,
  createAuthorizer,
  InvokePolicies,
  type ProtectedAccess,
  passPrincipalPolicies,
  scopesFor,
} from './api-access.ts';
import type { LedgerFunctions } from './ledger-functions.ts';
import { pascalCase } from './names.ts';

export interface LedgerHttpApiProps {
  readonly auth: ApiAuth;
  /** The route handlers and the catch-all, by handler name. */
  readonly functions: LedgerFunctions;
  /** Steady-state requests per second across the API. @default 100 */
  readonly throttleRateLimit?: number;
  /** Requests the API absorbs in a burst. @default 200 */
  readonly throttleBurstLimit?: number;
  /** @default RetentionDays.ONE_YEAR */
  readonly accessLogRetention?: RetentionDays;
}

/**
 * The HTTP API: one route per entry of the route table (functions/http/routes.ts), a catch-all
 * that answers JSON 404/405, access logs and throttling. Every route but the public health
 * check requires the configured authorization; so does the catch-all, so anonymous probing of
 * unknown paths never reaches a function.
 */
export class LedgerHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** The per-access-level IAM policies; only with IAM authorization. */
  readonly invokePolicies?: InvokePolicies;

  constructor(scope: Construct, id: string, props: LedgerHttpApiProps) {
    super(scope, id);
    const authorizer = createAuthorizer(props.auth);
    this.api = new HttpApi(this, 'Api', {
      // Not unique by rule, but the console lists APIs by name: one per stage, telling which.
      apiName: Stack.of(this).stackName,
      description: 'config-ledger: event-sourced configuration service.',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      defaultIntegration: new HttpLambdaIntegration(
        'RouteNotFound',
        props.functions.get('route-not-found').function,
      ),
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_YEAR,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: props.throttleRateLimit ?? 100,
        burstLimit: props.throttleBurstLimit ?? 200,
      },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat,
      },
    });
    const protectedRoutes: { route: HttpRoute; access: ProtectedAccess }[] = [];
    for (const entry of routes) {
      const handler = props.functions.get(entry.handler).function;
      const route = new HttpRoute(this, `Route${pascalCase(entry.handler)}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(entry.path, HttpMethod[entry.method]),
        integration: new HttpLambdaIntegration(`Integration${pascalCase(entry.handler)}`, handler),
        authorizer: entry.access === 'public' ? new HttpNoneAuthorizer() : authorizer,
        authorizationScopes: scopesFor(props.auth, entry.access),
      });
      passPrincipalPolicies(props.auth, props.functions.get(entry.handler));
      if (entry.access === 'public') {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${entry.method} ${entry.path} is the public health check for load balancers and uptime monitors; it reveals only check statuses and timings, never configuration data.`,
        });
      } else {
        protectedRoutes.push({ route, access: entry.access });
      }
    }
    if (props.auth.mode === 'iam') {
      this.invokePolicies = new InvokePolicies(this, 'InvokePolicies', { routes: protectedRoutes });
    }
  }

  get url(): string {
    return this.stage.url;
  }
}

/**
 * One JSON line per request: who called (IAM principal or JWT subject), which route, the
 * outcome and its timings. Never a body, so never a configuration value.
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userArn: '$context.identity.userArn',
    jwtSubject: '$context.authorizer.claims.sub',
    routeKey: '$context.routeKey',
    method: '$context.httpMethod',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    error: '$context.error.message',
  }),
);
