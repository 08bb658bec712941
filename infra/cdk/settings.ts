import type { Node } from 'constructs';
import * as z from 'zod';
import type { ApiAuth } from './api-access.ts';

/** What a deployment may choose, from CDK context (`cdk.json` or `-c key=value`). */
export interface DeploymentSettings {
  readonly auth: ApiAuth;
  readonly alarmEmail?: string;
  readonly logLevel: string;
}

/** A list from the command line is one comma-separated string; from cdk.json, an array. */
const audienceSchema = z
  .union([z.string(), z.array(z.string())], {
    error: 'authMode=jwt needs jwtAudience: one audience, or several separated by commas.',
  })
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(','))
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

const authSchema = z.discriminatedUnion('authMode', [
  z.object({ authMode: z.literal('iam') }),
  z.object({
    authMode: z.literal('jwt'),
    jwtIssuer: z.url({ protocol: /^https$/, error: 'authMode=jwt needs jwtIssuer, an https URL.' }),
    jwtAudience: audienceSchema.pipe(
      z.array(z.string()).min(1, 'authMode=jwt needs at least one audience.'),
    ),
  }),
]);

const contextSchema = z.intersection(
  z.object({
    alarmEmail: z.email({ error: 'alarmEmail must be an email address.' }).optional(),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  }),
  authSchema,
);

const contextKeys = ['authMode', 'jwtIssuer', 'jwtAudience', 'alarmEmail', 'logLevel'] as const;

/** Reads and checks the deployment's context; a bad value fails the synth with what to fix. */
export function settingsFromContext(node: Node): DeploymentSettings {
  const raw = Object.fromEntries(
    contextKeys.map((key) => [key, emptyAsUndefined(node.tryGetContext(key))]),
  );
  raw.authMode ??= 'iam';
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`Invalid CDK context:\n${problems.join('\n')}`);
  }
  const context = parsed.data;
  const auth: ApiAuth =
    context.authMode === 'jwt'
      ? { mode: 'jwt', issuer: context.jwtIssuer, audience: context.jwtAudience }
      : { mode: 'iam' };
  return { auth, alarmEmail: context.alarmEmail, logLevel: context.logLevel };
}

/** `-c alarmEmail=` means "none", like leaving it out. */
function emptyAsUndefined(value: unknown): unknown {
  return value === '' || value === null ? undefined : value;
}
