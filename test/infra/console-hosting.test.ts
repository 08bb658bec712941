import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { routes } from '#http/routes.ts';
import { routedToApi } from '#test/cloudfront-paths.ts';
import { consoleCacheControl, consoleSecurityHeaders } from '../../console/hosting.ts';
import { consoleSettingsSchema, settingsPath } from '../../console/src/settings-schema.ts';
import { apiPathPatterns } from '../../infra/cdk/console-hosting.ts';
import {
  consoleContext,
  consoleOnOwnDomainContext,
  consoleSignIn as signIn,
} from './support/console-context.ts';
import { synthesize } from './support/synth.ts';
import { logicalIdOf } from './support/template-queries.ts';

const outdir = join('cdk.out', `console-hosting-test-${process.pid}`);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const { stack, template } = synthesize({ context: consoleContext, outdir });

type Json = Record<string, unknown>;
type Behavior = {
  PathPattern?: string;
  TargetOriginId: string;
  ViewerProtocolPolicy: string;
  AllowedMethods: string[];
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
};

const distributionConfig = () => {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  return (distribution as { Properties: { DistributionConfig: Json } }).Properties
    .DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: { Id: string; DomainName: unknown; OriginAccessControlId?: unknown }[];
    Logging?: Json;
    DefaultRootObject: string;
  };
};

/** CloudFront's managed policies, by their fixed ids. */
const cachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const allViewerExceptHostHeader = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

describe('Construct: ConsoleHosting', () => {
  it('is not part of a stack unless asked for', () => {
    // Act
    const { template: plain } = synthesize({ context: { ...consoleContext, console: 'false' } });

    // Assess
    plain.resourceCountIs('AWS::CloudFront::Distribution', 0);
    plain.resourceCountIs('AWS::S3::Bucket', 0);
  });

  it('keeps the build in a private, encrypted, TLS-only bucket that only CloudFront reads', () => {
    // Prepare
    const bucketId = logicalIdOf(stack.console?.bucket ?? stack);

    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  });

  it('serves the console from the bucket over HTTPS, through origin access control', () => {
    // Act
    const config = distributionConfig();

    // Assess
    const s3Origin = config.Origins.find(
      (origin) => origin.Id === config.DefaultCacheBehavior.TargetOriginId,
    );
    expect(s3Origin?.OriginAccessControlId).toBeDefined();
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
    });
    expect(config.Logging).toMatchObject({ Prefix: 'cloudfront/' });
  });

  it('forwards every route of the API to the HTTP API, uncached, Authorization header included', () => {
    // Act
    const config = distributionConfig();

    // Assess
    const patterns = config.CacheBehaviors.map((behavior) => behavior.PathPattern);
    expect(patterns).toEqual(apiPathPatterns());
    const origins = new Set(config.CacheBehaviors.map((behavior) => behavior.TargetOriginId));
    expect(origins.size).toBe(1);
    for (const behavior of config.CacheBehaviors) {
      expect(behavior).toMatchObject({
        ViewerProtocolPolicy: 'https-only',
        CachePolicyId: cachingDisabled,
        OriginRequestPolicyId: allViewerExceptHostHeader,
      });
      expect(behavior.AllowedMethods).toEqual(
        expect.arrayContaining(['GET', 'PUT', 'POST', 'DELETE']),
      );
    }
    const apiOrigin = config.Origins.find((origin) => origins.has(origin.Id));
    expect(JSON.stringify(apiOrigin?.DomainName)).toContain(logicalIdOf(stack.httpApi.api));
  });

  it('sends the API paths to the API and the console files to the bucket', () => {
    // Prepare: a concrete path for every route template
    const apiPaths = routes.map((route) => route.path.replace(/\{\w+\}/g, 'some-name'));
    const consolePaths = ['/', '/index.html', '/assets/index-abc123.js', settingsPath];

    // Assess
    for (const path of apiPaths) {
      expect(routedToApi(path), path).toBe(true);
    }
    for (const path of consolePaths) {
      expect(routedToApi(path), path).toBe(false);
    }
  });

  it('answers with the console security headers, HSTS, and the token endpoint as the one other origin', () => {
    // Act
    const [policy] = Object.values(
      template.findResources('AWS::CloudFront::ResponseHeadersPolicy'),
    );
    const config = (policy as { Properties: { ResponseHeadersPolicyConfig: Json } }).Properties
      .ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Json>;
      CustomHeadersConfig: { Items: { Header: string; Value: string }[] };
    };

    // Assess
    const expected = consoleSecurityHeaders(['https://tokens.example.com']);
    const security = config.SecurityHeadersConfig;
    expect(security.ContentSecurityPolicy?.ContentSecurityPolicy).toBe(
      expected['content-security-policy'],
    );
    expect(expected['content-security-policy']).toContain(
      "connect-src 'self' https://tokens.example.com;",
    );
    expect(security.FrameOptions?.FrameOption).toBe(expected['x-frame-options']);
    expect(security.ReferrerPolicy?.ReferrerPolicy).toBe(expected['referrer-policy']);
    expect(security.ContentTypeOptions).toMatchObject({ Override: true });
    expect(security.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63_072_000,
      IncludeSubdomains: true,
    });
    expect(config.CustomHeadersConfig.Items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Header: 'cross-origin-opener-policy',
          Value: expected['cross-origin-opener-policy'],
        }),
        expect.objectContaining({
          Header: 'permissions-policy',
          Value: expected['permissions-policy'],
        }),
      ]),
    );
  });

  it("uploads the console's sign-in settings, valid for the console itself", () => {
    // Act: the settings file is staged with the cloud assembly
    const assembly = join(outdir);
    const staged = readdirSync(assembly)
      .map((entry) => join(assembly, entry, settingsPath))
      .filter((file) => {
        try {
          readFileSync(file);
          return true;
        } catch {
          return false;
        }
      });

    // Assess
    expect(staged).toHaveLength(1);
    const settings = consoleSettingsSchema.parse(JSON.parse(readFileSync(staged[0] ?? '', 'utf8')));
    expect(settings).toEqual({ signIn });
  });

  it('names the console address, which is the redirect URI to register', () => {
    template.hasOutput('ConsoleUrl', {
      Value: {
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }, '/']],
      },
    });
  });

  it('serves its own host name with its certificate, TLS 1.2 or later, behind the web ACL', () => {
    // Act
    const { template: own } = synthesize({ context: consoleOnOwnDomainContext });

    // Assess
    own.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['config.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: consoleOnOwnDomainContext.consoleCertificateArn,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
        WebACLId: consoleOnOwnDomainContext.consoleWebAclArn,
      }),
    });
    own.hasOutput('ConsoleUrl', { Value: 'https://config.example.com/' });
    own.hasOutput('ConsoleDnsTarget', {
      Value: { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] },
    });
  });

  it('has no DNS target to point at without a host name of its own', () => {
    expect(Object.keys(template.findOutputs('ConsoleDnsTarget'))).toEqual([]);
  });

  it('uploads hashed assets to be kept for good, and pages to be asked for again', () => {
    // Act
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    const cacheControls = deployments.map(
      (deployment) =>
        (deployment as { Properties: { SystemMetadata?: Record<string, string> } }).Properties
          .SystemMetadata?.['cache-control'],
    );

    // Assess
    expect(cacheControls.sort()).toEqual(
      [consoleCacheControl.assets, consoleCacheControl.pages].sort(),
    );
  });
});
