import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { settingsFromContext } from '../../infra/cdk/settings.ts';
import {
  consoleContext,
  consoleOnOwnDomainContext,
  consoleSignIn,
} from './support/console-context.ts';

function settingsFor(context: Record<string, unknown>) {
  return settingsFromContext(new App({ context }).node);
}

describe('Function: settingsFromContext', () => {
  it("reads IAM principals' access by prefix, as JSON or as an object", () => {
    // Prepare
    const policies = { 'arn:aws:iam::123456789012:role/payments-*': ['config:write:payments.'] };

    // Act
    const fromCommandLine = settingsFor({ iamAccessPolicies: JSON.stringify(policies) });
    const fromCdkJson = settingsFor({ iamAccessPolicies: policies });

    // Assess
    expect(fromCommandLine.auth).toEqual({ mode: 'iam', principalPolicies: policies });
    expect(fromCdkJson.auth).toEqual({ mode: 'iam', principalPolicies: policies });
  });

  it('defaults to the dev stage, disposable data, IAM authorization, INFO logs, no alarm email', () => {
    // Act
    const settings = settingsFor({});

    // Assess
    expect(settings).toEqual({
      stage: 'dev',
      protectData: false,
      auth: { mode: 'iam' },
      logLevel: 'INFO',
      tracing: false,
      alarmEmail: undefined,
      changeEvents: { bus: 'own', includeValues: false },
    });
  });

  it('puts change events on the default bus, with values, when asked to', () => {
    // Act
    const settings = settingsFor({ eventBus: 'default', eventValues: 'true' });

    // Assess
    expect(settings.changeEvents).toEqual({ bus: 'default', includeValues: true });
  });

  it('refuses a bus other than its own or the default one, saying which are', () => {
    // Act & Assess
    expect(() => settingsFor({ eventBus: 'orders' })).toThrow(/eventBus must be 'own'/);
  });

  it.each(['prod', 'production', 'eu-1', 'dev2'])(
    'protects the data of stage %s by default',
    (stage) => {
      // Act
      const settings = settingsFor({ stage });

      // Assess
      expect(settings).toMatchObject({ stage, protectData: true });
    },
  );

  it.each([
    [{ stage: 'prod', protectData: 'false' }, false],
    [{ stage: 'dev', protectData: true }, true],
  ])('lets protectData overrule the stage: %o', (context, protectData) => {
    // Act
    const settings = settingsFor(context);

    // Assess
    expect(settings.protectData).toBe(protectData);
  });

  it('reads a JWT issuer and a comma-separated audience list from the command line', () => {
    // Act
    const settings = settingsFor({
      authMode: 'jwt',
      jwtIssuer: 'https://login.example.com/realms/ops',
      jwtAudience: 'config-ledger, ops-console',
    });

    // Assess
    expect(settings.auth).toEqual({
      mode: 'jwt',
      issuer: 'https://login.example.com/realms/ops',
      audience: ['config-ledger', 'ops-console'],
    });
  });

  it('reads an audience list from cdk.json', () => {
    // Act
    const settings = settingsFor({
      authMode: 'jwt',
      jwtIssuer: 'https://login.example.com/',
      jwtAudience: ['config-ledger'],
    });

    // Assess
    expect(settings.auth).toMatchObject({ audience: ['config-ledger'] });
  });

  it.each([
    ['a JWT mode without issuer', { authMode: 'jwt', jwtAudience: 'a' }, /jwtIssuer/],
    [
      'a plain-http issuer',
      { authMode: 'jwt', jwtIssuer: 'http://x.example.com', jwtAudience: 'a' },
      /https/,
    ],
    [
      'a JWT mode without audience',
      { authMode: 'jwt', jwtIssuer: 'https://x.example.com' },
      /jwtAudience/,
    ],
    [
      'an empty audience',
      { authMode: 'jwt', jwtIssuer: 'https://x.example.com', jwtAudience: ' , ' },
      /audience/,
    ],
    ['an unknown auth mode', { authMode: 'cognito' }, /authMode/],
    ['IAM access policies that are not JSON', { iamAccessPolicies: '{' }, /iamAccessPolicies/],
    [
      'IAM access policies whose scopes are not a list',
      { iamAccessPolicies: { 'arn:*': 'config:read' } },
      /IAM_ACCESS_POLICIES must map/,
    ],
    ['an alarm email that is none', { alarmEmail: 'on-call' }, /alarmEmail/],
    ['an unknown log level', { logLevel: 'VERBOSE' }, /logLevel/],
    ['a stage in capitals', { stage: 'Prod' }, /stage must be 1 to 20 lowercase/],
    ['a stage ending with a hyphen', { stage: 'prod-' }, /stage must be/],
    ['a stage too long for function names', { stage: 'a'.repeat(21) }, /stage must be/],
    ['a stage with a dot', { stage: 'v1.2' }, /stage must be/],
    ['a data protection switch that is not a boolean', { protectData: 'yes' }, /protectData/],
    ['a tracing switch that is not a boolean', { tracing: 'on' }, /tracing must be true or false/],
    [
      'the console with IAM authorization',
      { ...consoleContext, authMode: 'iam' },
      /console=true needs authMode=jwt/,
    ],
    [
      'the console without its OAuth client',
      { ...consoleContext, consoleClientId: undefined },
      /consoleClientId/,
    ],
    [
      'a plain-http token endpoint',
      { ...consoleContext, consoleTokenUrl: 'http://tokens.example.com/token' },
      /consoleTokenUrl must be an https URL/,
    ],
    ['a console switch that is not a boolean', { ...consoleContext, console: 'yes' }, /console/],
    [
      'a console host name without its certificate',
      { ...consoleContext, consoleDomainName: 'config.example.com' },
      /consoleCertificateArn: consoleDomainName and consoleCertificateArn go together/,
    ],
    [
      'a certificate outside us-east-1',
      {
        ...consoleOnOwnDomainContext,
        consoleCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123',
      },
      /consoleCertificateArn must be an ACM certificate ARN in us-east-1/,
    ],
    [
      'a console host name that is a URL',
      { ...consoleOnOwnDomainContext, consoleDomainName: 'https://config.example.com/' },
      /consoleDomainName must be a host name/,
    ],
    [
      'a regional web ACL',
      {
        ...consoleOnOwnDomainContext,
        consoleWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/ops/0a1b2c',
      },
      /consoleWebAclArn must be the ARN of a WAF web ACL with CloudFront scope/,
    ],
  ])('refuses %s', (_, context, message) => {
    // Act
    const read = () => settingsFor(context);

    // Assess
    expect(read).toThrow(message);
  });

  it('treats an empty alarm email as none', () => {
    // Act
    const settings = settingsFor({ alarmEmail: '' });

    // Assess
    expect(settings.alarmEmail).toBeUndefined();
  });

  it('leaves the console out unless asked for', () => {
    // Act
    const settings = settingsFor({ ...consoleContext, console: undefined });

    // Assess
    expect(settings.console).toBeUndefined();
  });

  it("reads the console's sign-in, asking for both access scopes by default", () => {
    // Act
    const settings = settingsFor(consoleContext);

    // Assess
    expect(settings.console).toEqual({ signIn: consoleSignIn });
  });

  it('reads console scopes separated by spaces or commas', () => {
    // Act
    const settings = settingsFor({ ...consoleContext, consoleScopes: 'openid, api/config:read' });

    // Assess
    expect(settings.console?.signIn.scopes).toEqual(['openid', 'api/config:read']);
  });

  it("reads the console's own host name, certificate and web ACL", () => {
    // Act
    const settings = settingsFor(consoleOnOwnDomainContext);

    // Assess
    expect(settings.console).toEqual({
      signIn: consoleSignIn,
      domain: {
        name: 'config.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
      },
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/ops/0a1b2c',
    });
  });
});
