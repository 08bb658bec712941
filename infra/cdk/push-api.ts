import { Stack } from 'aws-cdk-lib';
import {
  AppSyncAuthorizationType,
  type AppSyncAuthProvider,
  ChannelNamespace,
  Code,
  EventApi,
} from 'aws-cdk-lib/aws-appsync';
import { type IGrantable, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { defaultPushNamespace } from '#client/push-protocol.ts';
import { accessScopes } from '#http/access-scopes.ts';
import { changeSinkVariables } from '#sinks/change-sinks.ts';
import type { ApiAuth } from './api-access.ts';
import type { LedgerFunction } from './ledger-function.ts';

export interface PushApiProps {
  /** Who may subscribe: the same model as the HTTP API's readers. */
  readonly auth: ApiAuth;
  /** The channel namespace the changes are published in. @default 'changes' */
  readonly namespaceName?: string;
}

/**
 * Push to watching clients on AWS AppSync Events: one publish fans out to every subscriber of
 * the channel, so the cost is per change, not per client. The publisher (the Lambda on the
 * log's stream) publishes with IAM only; clients subscribe with the HTTP API's model: IAM (the
 * `readers` policy), or in JWT mode the same issuer's tokens (OpenID Connect) carrying the read
 * scope, checked by the namespace's subscribe handler. Channels: client/push-protocol.ts.
 */
export class PushApi extends Construct {
  readonly api: EventApi;
  readonly namespace: ChannelNamespace;
  /** With IAM authorization: attach to a role that watches (connect, subscribe to changes). */
  readonly readers?: ManagedPolicy;

  constructor(scope: Construct, id: string, props: PushApiProps) {
    super(scope, id);
    const subscriberModes = subscriberModesOf(props.auth);
    this.api = new EventApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-push`,
      authorizationConfig: {
        authProviders: authProvidersOf(props.auth),
        connectionAuthModeTypes: subscriberModes,
        defaultPublishAuthModeTypes: [AppSyncAuthorizationType.IAM],
        defaultSubscribeAuthModeTypes: subscriberModes,
      },
    });
    this.namespace = new ChannelNamespace(this, 'Changes', {
      api: this.api,
      channelNamespaceName: props.namespaceName ?? defaultPushNamespace,
      code: Code.fromInline(subscribeNeedsReadScope),
    });
    if (props.auth.mode === 'iam') this.readers = this.readersPolicy();
  }

  /** The HTTP publish endpoint, which clients also take as the push's URL. */
  get url(): string {
    return `https://${this.api.httpDns}/event`;
  }

  /** appsync:EventPublish on the changes namespace, and nothing else. */
  grantPublish(grantee: IGrantable) {
    return this.namespace.grantPublish(grantee);
  }

  /** Makes `publisher` (the Lambda on the log's stream) push each change here. */
  publishFrom(publisher: LedgerFunction): void {
    publisher.addEnvironment(changeSinkVariables.push, this.url);
    this.grantPublish(publisher.function);
  }

  private readersPolicy(): ManagedPolicy {
    return new ManagedPolicy(this, 'Readers', {
      description: "Lets a principal watch the config-ledger's changes (connect and subscribe).",
      statements: [
        new PolicyStatement({ actions: ['appsync:EventConnect'], resources: [this.api.apiArn] }),
        new PolicyStatement({
          actions: ['appsync:EventSubscribe'],
          resources: [this.namespace.channelNamespaceArn],
        }),
      ],
    });
  }
}

function subscriberModesOf(auth: ApiAuth): AppSyncAuthorizationType[] {
  return auth.mode === 'iam' ? [AppSyncAuthorizationType.IAM] : [AppSyncAuthorizationType.OIDC];
}

function authProvidersOf(auth: ApiAuth): AppSyncAuthProvider[] {
  const iam = { authorizationType: AppSyncAuthorizationType.IAM };
  if (auth.mode === 'iam') return [iam];
  const [audience, ...others] = auth.audience;
  return [
    iam,
    {
      authorizationType: AppSyncAuthorizationType.OIDC,
      openIdConnectConfig: {
        oidcProvider: auth.issuer,
        // AppSync checks one client ID; with several audiences the issuer's signature is the check.
        ...(audience !== undefined && others.length === 0 ? { clientId: audience } : {}),
      },
    },
  ];
}

/**
 * The namespace's subscribe handler (APPSYNC_JS): a token must carry the read scope, as the HTTP
 * API's read routes ask; an IAM identity has no claims, and its policy decides instead.
 */
const subscribeNeedsReadScope = `import { util } from '@aws-appsync/utils';
export function onSubscribe(ctx) {
  const claims = ctx.identity && ctx.identity.claims;
  if (!claims) return;
  const scopes = String(claims.scope || '').split(' ');
  if (!scopes.includes('${accessScopes.read}')) util.unauthorized();
}
`;
