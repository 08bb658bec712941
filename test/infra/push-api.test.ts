import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { PushApi } from '../../infra/cdk/push-api.ts';
import { synthesize } from './support/synth.ts';
import { logicalIdOf } from './support/template-queries.ts';

const jwtContext = {
  authMode: 'jwt',
  jwtIssuer: 'https://issuer.example.com',
  jwtAudience: 'config-ledger',
};

describe('Construct: PushApi', () => {
  describe('in IAM mode', () => {
    const { stack, template } = synthesize();

    it('is an AppSync Event API with a changes namespace, on IAM alone', () => {
      template.resourceCountIs('AWS::AppSync::Api', 1);
      template.hasResourceProperties('AWS::AppSync::Api', {
        EventConfig: {
          AuthProviders: [{ AuthType: 'AWS_IAM' }],
          ConnectionAuthModes: [{ AuthType: 'AWS_IAM' }],
          DefaultPublishAuthModes: [{ AuthType: 'AWS_IAM' }],
          DefaultSubscribeAuthModes: [{ AuthType: 'AWS_IAM' }],
        },
      });
      template.hasResourceProperties('AWS::AppSync::ChannelNamespace', { Name: 'changes' });
    });

    it('gives readers a policy to connect and subscribe to the changes namespace, nothing more', () => {
      const policy = template.toJSON().Resources[logicalIdOf(stack.pushApi.readers as never)];
      const statements = policy.Properties.PolicyDocument.Statement;
      expect(statements.map((statement: { Action: string }) => statement.Action)).toEqual([
        'appsync:EventConnect',
        'appsync:EventSubscribe',
      ]);
      expect(statements[1].Resource).toEqual({
        'Fn::GetAtt': [logicalIdOf(stack.pushApi.namespace), 'ChannelNamespaceArn'],
      });
    });

    it('outputs the readers policy', () => {
      template.hasOutput('PushReadersPolicyArn', {
        Value: { Ref: logicalIdOf(stack.pushApi.readers as never) },
      });
    });

    it('outputs the URL clients push from', () => {
      template.hasOutput('PushUrl', {
        Value: {
          'Fn::Join': [
            '',
            ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'Dns.Http'] }, '/event'],
          ],
        },
      });
    });
  });

  describe('in JWT mode', () => {
    const { template } = synthesize({ context: jwtContext });

    it('lets subscribers in with the issuer’s tokens, and publishers with IAM only', () => {
      template.hasResourceProperties('AWS::AppSync::Api', {
        EventConfig: {
          AuthProviders: [
            { AuthType: 'AWS_IAM' },
            {
              AuthType: 'OPENID_CONNECT',
              OpenIDConnectConfig: {
                Issuer: 'https://issuer.example.com',
                ClientId: 'config-ledger',
              },
            },
          ],
          ConnectionAuthModes: [{ AuthType: 'OPENID_CONNECT' }],
          DefaultPublishAuthModes: [{ AuthType: 'AWS_IAM' }],
          DefaultSubscribeAuthModes: [{ AuthType: 'OPENID_CONNECT' }],
        },
      });
    });

    it('asks a token for the read scope to subscribe', () => {
      template.hasResourceProperties('AWS::AppSync::ChannelNamespace', {
        CodeHandlers: Match.stringLikeRegexp("includes\\('config:read'\\)"),
      });
    });
  });

  describe('Method: grantPublish', () => {
    it('grants appsync:EventPublish on that API’s changes namespace, and nothing else', () => {
      // Prepare
      const stack = new Stack();
      const push = new PushApi(stack, 'Push', { auth: { mode: 'iam' } });
      const publisher = new Role(stack, 'Publisher', {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      });

      // Act
      push.grantPublish(publisher);

      // Assess
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalIdOf(publisher) }],
        PolicyDocument: {
          Statement: [
            {
              Action: 'appsync:EventPublish',
              Effect: 'Allow',
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':appsync:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    ':apis/',
                    { 'Fn::GetAtt': [logicalIdOf(push.api), 'ApiId'] },
                    '/channelNamespace/changes',
                  ],
                ],
              },
            },
          ],
        },
      });
    });
  });
});
