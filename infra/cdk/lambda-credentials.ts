import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the functions' bundles (an esbuild alias,
 * see `functionBundling`): the AWS SDK's default credential chain cut to its first link, the
 * environment. Lambda puts the execution role's credentials there (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) before the function's code runs, so the chain never
 * goes further in a function; its other links (SSO, shared files, processes, web identity,
 * container and instance metadata) and the STS and SSO clients they carry only make every
 * bundle bigger (about 135 kB of 525) and every cold start slower.
 */
export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
