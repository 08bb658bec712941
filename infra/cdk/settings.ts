import type { Node } from 'constructs';
import * as z from 'zod';
import { accessScopes } from '#http/access-scopes.ts';
import { parsePrincipalPolicies } from '#http/caller-policy.ts';
import { type SignInSettings, signInSettingsSchema } from '../../console/src/settings-schema.ts';
import type { ApiAuth } from './api-access.ts';
import type { ConsoleHostingOptions } from './console-hosting.ts';

/** What a deployment may choose, from CDK context (`cdk.json` or `-c key=value`). */
export interface DeploymentSettings {
  /**
   * Which deployment this is (`dev`, `prod`, …): it names the stack, `config-ledger-<stage>`, and
   * through it every table, function and alarm, so stages live side by side in one account.
   */
  readonly stage: string;
  /**
   * Whether the tables outlive the stack and survive mistakes: retained on delete, deletion
   * protection, point-in-time recovery. Off only for a disposable stage.
   */
  readonly protectData: boolean;
  readonly auth: ApiAuth;
  readonly alarmEmail?: string;
  readonly logLevel: string;
  /**
   * X-Ray tracing of every function (active tracing and Powertools Tracer). Off unless asked for:
   * the Tracer makes a function's bundle a third bigger and its load a fifth slower.
   */
  readonly tracing: boolean;
  /** The web console on CloudFront, signing in at the JWT issuer; absent unless asked for. */
  readonly console?: ConsoleHostingOptions;
  /** Where each change is announced on EventBridge, and whether with its value (docs/events.md). */
  readonly changeEvents: ChangeEventsSettings;
}

export interface ChangeEventsSettings {
  /**
   * `own`: a bus the stack creates for its stage (`-c eventBus=own`, the default); `default`: the
   * account's default bus (`-c eventBus=default`), where events of every stage meet, told apart
   * by their `source`.
   */
  readonly bus: 'own' | 'default';
  /** Each set's value in its event's detail, when it fits (`-c eventValues=true`); values may be secrets. */
  readonly includeValues: boolean;
}

/**
 * A list from the command line is one string, split at `separator`; from cdk.json, an array.
 * Items are trimmed and empty ones dropped either way.
 */
function contextList(separator: RegExp, error: string) {
  return z
    .union([z.string(), z.array(z.string())], { error })
    .transform((value) =>
      (Array.isArray(value) ? value : value.split(separator))
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    );
}

const audienceSchema = contextList(
  /,/,
  'authMode=jwt needs jwtAudience: one audience, or several separated by commas.',
);

/**
 * IAM principals' access by prefix: JSON from the command line, an object in cdk.json. Checked
 * as the functions will read it, so a mapping they would refuse fails the synth instead.
 */
const principalPoliciesSchema = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .transform((value, context) => {
    const json = typeof value === 'string' ? value : JSON.stringify(value);
    try {
      parsePrincipalPolicies(json);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
    return JSON.parse(json) as Record<string, string[]>;
  });

const authSchema = z.discriminatedUnion('authMode', [
  z.object({ authMode: z.literal('iam'), iamAccessPolicies: principalPoliciesSchema.optional() }),
  z.object({
    authMode: z.literal('jwt'),
    jwtIssuer: z.url({ protocol: /^https$/, error: 'authMode=jwt needs jwtIssuer, an https URL.' }),
    jwtAudience: audienceSchema.pipe(
      z.array(z.string()).min(1, 'authMode=jwt needs at least one audience.'),
    ),
  }),
]);

/**
 * A stage names the stack and, through it, the names CloudFormation generates for the tables,
 * functions, roles and log groups, some of them at most 64 characters long (function and role
 * names), where CloudFormation shortens the stack name to fit: a short stage stays readable in
 * all of them. Lowercase only, so that `Prod` and `prod` cannot be two stages.
 */
export const stagePattern = /^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/;

/** The stage of a bare `cdk deploy`: a development stack; production is always asked for by name. */
export const defaultStage = 'dev';

/**
 * Whether a stage's tables are protected unless `-c protectData=…` says otherwise: every stage's
 * but the default one's, so that a stage named anything else (`prod`, `production`, `eu`) can
 * never be deleted with its data by omission, and `cdk destroy` of the dev stack leaves nothing.
 */
export function protectsDataByDefault(stage: string): boolean {
  return stage !== defaultStage;
}

/** A switch: `true` or `false` from the command line (a string) or cdk.json (a boolean). */
function contextSwitch(key: string) {
  return z
    .union([z.boolean(), z.enum(['true', 'false'])], { error: `${key} must be true or false.` })
    .transform((value) => value === true || value === 'true');
}

/** Scopes never hold spaces (RFC 6749), so spaces separate them as well as commas. */
const scopesSchema = contextList(/[\s,]+/, 'consoleScopes must be a list of scopes.');

const contextSchema = z.intersection(
  z.object({
    stage: z
      .string()
      .regex(stagePattern, {
        error:
          'stage must be 1 to 20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (it names the stack, config-ledger-<stage>).',
      })
      .default(defaultStage),
    alarmEmail: z.email({ error: 'alarmEmail must be an email address.' }).optional(),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    protectData: contextSwitch('protectData').optional(),
    tracing: contextSwitch('tracing').default(false),
    console: contextSwitch('console').default(false),
    eventBus: z
      .enum(['own', 'default'], {
        error: "eventBus must be 'own' (a bus the stack creates) or 'default' (the account's).",
      })
      .default('own'),
    eventValues: contextSwitch('eventValues').default(false),
    consoleClientId: z.string().optional(),
    consoleAuthorizeUrl: z.string().optional(),
    consoleTokenUrl: z.string().optional(),
    consoleScopes: scopesSchema.default(['openid', accessScopes.read, accessScopes.write]),
    consoleDomainName: z
      .string()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, {
        error: 'consoleDomainName must be a host name, such as config.example.com.',
      })
      .optional(),
    consoleCertificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/, {
        error:
          'consoleCertificateArn must be an ACM certificate ARN in us-east-1, the only region CloudFront takes certificates from.',
      })
      .optional(),
    consoleWebAclArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/, {
        error:
          'consoleWebAclArn must be the ARN of a WAF web ACL with CloudFront scope (us-east-1, global/webacl/…).',
      })
      .optional(),
  }),
  authSchema,
);

type Context = z.infer<typeof contextSchema>;

const contextKeys = [
  'stage',
  'protectData',
  'authMode',
  'jwtIssuer',
  'jwtAudience',
  'iamAccessPolicies',
  'alarmEmail',
  'logLevel',
  'tracing',
  'console',
  'consoleClientId',
  'consoleAuthorizeUrl',
  'consoleTokenUrl',
  'consoleScopes',
  'consoleDomainName',
  'consoleCertificateArn',
  'consoleWebAclArn',
  'eventBus',
  'eventValues',
] as const;

/** The console's own sign-in fields, by the context key a user sets them with. */
const signInContextKeys: Readonly<Record<keyof SignInSettings, string>> = {
  clientId: 'consoleClientId',
  authorizeUrl: 'consoleAuthorizeUrl',
  tokenUrl: 'consoleTokenUrl',
  scopes: 'consoleScopes',
};

/** Reads and checks the deployment's context; a bad value fails the synth with what to fix. */
export function settingsFromContext(node: Node): DeploymentSettings {
  const raw = Object.fromEntries(
    contextKeys.map((key) => [key, emptyAsUndefined(node.tryGetContext(key))]),
  );
  raw.authMode ??= 'iam';
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalidContext(parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
  }
  const context = parsed.data;
  const auth: ApiAuth =
    context.authMode === 'jwt'
      ? { mode: 'jwt', issuer: context.jwtIssuer, audience: context.jwtAudience }
      : {
          mode: 'iam',
          ...(context.iamAccessPolicies ? { principalPolicies: context.iamAccessPolicies } : {}),
        };
  return {
    stage: context.stage,
    protectData: context.protectData ?? protectsDataByDefault(context.stage),
    auth,
    alarmEmail: context.alarmEmail,
    logLevel: context.logLevel,
    tracing: context.tracing,
    changeEvents: { bus: context.eventBus, includeValues: context.eventValues },
    ...(context.console ? { console: consoleHosting(context) } : {}),
  };
}

/** The console signs users in at the issuer of the API's JWTs, so it needs the JWT mode. */
function consoleHosting(context: Context): ConsoleHostingOptions {
  if (context.authMode !== 'jwt') {
    throw invalidContext([
      ['console', 'console=true needs authMode=jwt: a browser cannot sign requests with AWS keys.'],
    ]);
  }
  return {
    signIn: consoleSignIn(context),
    domain: consoleDomain(context),
    webAclArn: context.consoleWebAclArn,
  };
}

/** A host name is only served with its certificate, and a certificate only names hosts. */
function consoleDomain(context: Context): ConsoleHostingOptions['domain'] {
  const { consoleDomainName: name, consoleCertificateArn: certificateArn } = context;
  if (name && certificateArn) return { name, certificateArn };
  if (!name && !certificateArn) return undefined;
  const missing = name ? 'consoleCertificateArn' : 'consoleDomainName';
  throw invalidContext([
    [missing, 'consoleDomainName and consoleCertificateArn go together: give both, or neither.'],
  ]);
}

function consoleSignIn(context: Context): SignInSettings {
  const parsed = signInSettingsSchema.safeParse({
    clientId: context.consoleClientId,
    authorizeUrl: context.consoleAuthorizeUrl,
    tokenUrl: context.consoleTokenUrl,
    scopes: context.consoleScopes,
  });
  if (parsed.success) return parsed.data;
  throw invalidContext(
    parsed.error.issues.map((issue) => {
      const key = signInContextKeys[issue.path[0] as keyof SignInSettings];
      return [key, `${key} ${issue.message} (the console's OAuth client at your issuer).`];
    }),
  );
}

function invalidContext(problems: readonly (readonly [key: string, message: string])[]): Error {
  const lines = problems.map(([key, message]) => `  ${key}: ${message}`);
  return new Error(`Invalid CDK context:\n${lines.join('\n')}`);
}

/** `-c alarmEmail=` means "none", like leaving it out. */
function emptyAsUndefined(value: unknown): unknown {
  return value === '' || value === null ? undefined : value;
}
