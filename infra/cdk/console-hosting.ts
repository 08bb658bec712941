import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  type HeadersFrameOption,
  type HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { routes } from '#http/routes.ts';
import {
  consoleBuildDir,
  consoleCacheControl,
  consoleSecurityHeaders,
} from '../../console/hosting.ts';
import { type SignInSettings, settingsPath } from '../../console/src/settings-schema.ts';
import { acknowledgeFindings, wildcardResourceFinding } from './nag-findings.ts';

/** What a deployment chooses about the console (CDK context, see settings.ts). */
export interface ConsoleHostingOptions {
  /** How the console signs users in; written to its settings file. */
  readonly signIn: SignInSettings;
  /**
   * The console's own host name and its ACM certificate (in us-east-1, as CloudFront requires);
   * with one, viewers must use TLS 1.2 or later. @default - the distribution's cloudfront.net name
   */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  /** A WAF web ACL (CloudFront scope) in front of the console and its API paths. @default none */
  readonly webAclArn?: string;
}

export interface ConsoleHostingProps extends ConsoleHostingOptions {
  /** The HTTP API's base URL: CloudFront forwards the API's paths to it. */
  readonly apiUrl: string;
  /** How long the distribution's access logs are kept. @default 365 days */
  readonly logRetention?: Duration;
}

/**
 * The web console on CloudFront: its static build in a private bucket read through origin access
 * control, and the API's own paths forwarded to the HTTP API uncached, so the console talks to
 * one origin (no CORS, no preflights) exactly as it does on the local stack. Every answer carries
 * the console's security headers.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** The host name browsers use: the custom domain, or the distribution's own. */
  readonly host: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    requireBuild();
    this.logBucket = new Bucket(this, 'Logs', {
      ...privateBucket,
      // CloudFront's standard logs are delivered with an object ACL.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: props.logRetention ?? Duration.days(365) }],
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This is the distribution's access log bucket; logging its own access would log the logging.",
    });
    this.bucket = new Bucket(this, 'Files', privateBucket);
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only CloudFront reads this bucket (origin access control), and the distribution logs every request; writes come from deployments, recorded by CloudTrail.',
    });
    const headers = securityHeadersPolicy(this, props.signIn);
    const api = apiBehavior(props.apiUrl, headers);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'config-ledger web console and its API',
      ...customDomain(this, props.domain),
      webAclId: props.webAclArn,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originAccessControl: new S3OriginAccessControl(this, 'FilesAccess', {
            originAccessControlName: cloudFrontName(this, 'console'),
          }),
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns().map((pattern) => [pattern, api])),
    });
    acknowledgeDistributionFindings(this.distribution, props);
    this.host = props.domain?.name ?? this.distribution.distributionDomainName;
    this.deploy(props.signIn);
  }

  /** The console's address, which is also the sign-in redirect URI to register at the issuer. */
  get url(): string {
    return `https://${this.host}/`;
  }

  /**
   * Hashed assets first, then the pages that name them: a browser never loads an index.html
   * whose scripts are not there yet. Nothing is pruned, so a tab opened before a deploy keeps
   * working.
   */
  private deploy(signIn: SignInSettings): void {
    const assets = new BucketDeployment(this, 'Assets', {
      sources: [Source.asset(consoleBuildDir, { exclude: ['*', '!assets', '!assets/**'] })],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.fromString(consoleCacheControl.assets)],
      prune: false,
    });
    const pages = new BucketDeployment(this, 'Pages', {
      sources: [
        Source.asset(consoleBuildDir, { exclude: ['assets', 'assets/**'] }),
        Source.jsonData(settingsPath.slice(1), { signIn }),
      ],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.fromString(consoleCacheControl.pages)],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/', '/index.html', settingsPath],
    });
    pages.node.addDependency(assets);
    acknowledgeDeploymentFindings(this);
  }
}

const privateBucket = {
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
} as const;

/** CloudFront path patterns that cover every route of the route table, and nothing else. */
export function apiPathPatterns(): string[] {
  const patterns = routes.map(({ path }) => {
    const [, first, ...rest] = path.split('/');
    return rest.length === 0 ? `/${first}` : `/${first}/*`;
  });
  return [...new Set(patterns)];
}

/** The API's answers are never cached, and every header (Authorization too) reaches it. */
function apiBehavior(apiUrl: string, headers: ResponseHeadersPolicy): BehaviorOptions {
  return {
    origin: new HttpOrigin(Fn.select(2, Fn.split('/', apiUrl)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // GET /changes may hold a request up to 20 s waiting for changes.
      readTimeout: Duration.seconds(30),
    }),
    // A redirected write would be replayed as a GET: refuse plain HTTP instead.
    viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
    allowedMethods: AllowedMethods.ALLOW_ALL,
    cachePolicy: CachePolicy.CACHING_DISABLED,
    originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    responseHeadersPolicy: headers,
  };
}

/** Headers CloudFront sets through its typed security settings; the rest go as custom headers. */
const typedHeaders = new Set([
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
]);

/** The console's security headers (console/hosting.ts), plus HSTS now that it is HTTPS. */
function securityHeadersPolicy(scope: Construct, signIn: SignInSettings): ResponseHeadersPolicy {
  const headers = consoleSecurityHeaders([new URL(signIn.tokenUrl).origin]);
  return new ResponseHeadersPolicy(scope, 'SecurityHeaders', {
    responseHeadersPolicyName: cloudFrontName(scope, 'console-headers'),
    comment: 'config-ledger console security headers',
    securityHeadersBehavior: {
      contentSecurityPolicy: {
        contentSecurityPolicy: headers['content-security-policy'],
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: {
        frameOption: headers['x-frame-options'] as HeadersFrameOption,
        override: true,
      },
      referrerPolicy: {
        referrerPolicy: headers['referrer-policy'] as HeadersReferrerPolicy,
        override: true,
      },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(730),
        includeSubdomains: true,
        override: true,
      },
    },
    customHeadersBehavior: {
      customHeaders: Object.entries(headers)
        .filter(([header]) => !typedHeaders.has(header))
        .map(([header, value]) => ({ header, value, override: true })),
    },
  });
}

/**
 * CloudFront is global: its policies' and access controls' names are unique in the account, not
 * in a region. The stack's name (one per stage) and its region make them so.
 */
function cloudFrontName(scope: Construct, purpose: string): string {
  const stack = Stack.of(scope);
  return `${stack.stackName}-${stack.region}-${purpose}`;
}

/** Viewer TLS 1.2 or later is only enforceable with a certificate of one's own. */
function customDomain(scope: Construct, domain: ConsoleHostingOptions['domain']) {
  if (!domain) return {};
  return {
    domainNames: [domain.name],
    certificate: Certificate.fromCertificateArn(scope, 'Certificate', domain.certificateArn),
    minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
  };
}

function acknowledgeDistributionFindings(
  distribution: Distribution,
  options: ConsoleHostingOptions,
): void {
  const findings: Record<string, string> = {
    'AwsSolutions-CFR1':
      'Who may use the console is decided by sign-in at the issuer and JWT scopes at the API, not by country.',
  };
  if (!options.webAclArn) {
    findings['AwsSolutions-CFR2'] =
      'No web ACL was given (consoleWebAclArn); the API behind the distribution has its own throttling and JWT authorizer.';
  }
  if (!options.domain) {
    findings['AwsSolutions-CFR4'] =
      'The default cloudfront.net certificate cannot pin a minimum TLS version; give consoleDomainName and consoleCertificateArn to require TLS 1.2.';
  }
  acknowledgeFindings(distribution, findings);
}

/**
 * BucketDeployment's upload function is CDK's own, one per stack, and runs only during deploys;
 * its role is scoped by CDK to the asset bucket, this bucket and invalidations.
 */
function acknowledgeDeploymentFindings(hosting: ConsoleHosting): void {
  const stack = Stack.of(hosting);
  const uploader = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (!uploader) throw new Error('No BucketDeployment function found to review.');
  // The default synthesizer's asset bucket, as cdk-nag prints it.
  const qualifier = stack.synthesizer.bootstrapQualifier ?? 'hnb659fds';
  const assetObjects = `arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*`;
  const findings: Record<string, string> = {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
      'CDK gives its upload function the basic execution role: writing its own logs, nothing else.',
    'AwsSolutions-IAM5[Action::s3:GetObject*]': uploadReason,
    'AwsSolutions-IAM5[Action::s3:GetBucket*]': uploadReason,
    'AwsSolutions-IAM5[Action::s3:List*]': uploadReason,
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]': uploadReason,
    'AwsSolutions-IAM5[Action::s3:Abort*]': uploadReason,
    [`AwsSolutions-IAM5[Resource::${assetObjects}]`]:
      'The upload function reads the console build from the CDK asset bucket, whose object keys are content hashes.',
    [wildcardResourceFinding(`${hosting.bucket.bucketArn}/*`, hosting)]:
      'The upload function writes the console build: every object of the console bucket.',
    'AwsSolutions-IAM5[Resource::*]':
      'CloudFront invalidations cannot be scoped to a distribution in IAM by CDK here; the function only invalidates the console pages after a deploy.',
    'AwsSolutions-L1':
      'The runtime of CDK’s own upload function is chosen by aws-cdk-lib and moves with it.',
  };
  acknowledgeFindings(uploader, findings);
}

const uploadReason =
  'CDK’s upload function needs these S3 action families to copy the build, on the asset bucket and the console bucket only.';

/** Deploying the console means uploading its build: say how to make one rather than fail later. */
function requireBuild(): void {
  if (!existsSync(join(consoleBuildDir, 'index.html'))) {
    throw new Error(
      `The web console is not built (${consoleBuildDir} has no index.html): run npm run build:console first.`,
    );
  }
}
