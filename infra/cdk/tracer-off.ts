import type { Tracer as PowertoolsTracer } from '@aws-lambda-powertools/tracer';

/** The part of Powertools Tracer the handlers use (functions/shared/tracer.ts). */
type TracerInUse = Pick<
  PowertoolsTracer,
  'isTracingEnabled' | 'captureAWSv3Client' | 'putAnnotation'
>;

/**
 * Stands in for `@aws-lambda-powertools/tracer` in the bundles of a deployment without tracing
 * (an esbuild alias, see `bundlingFor`): a Tracer that is always off. The real one brings the
 * X-Ray SDK along, about 120 kB of a 475 kB bundle and a fifth more time to load it (figures in
 * docs/deploy.md), which a function that never traces should not pay on every cold start.
 */
export class Tracer implements TracerInUse {
  isTracingEnabled(): boolean {
    return false;
  }

  captureAWSv3Client<T>(client: T): T {
    return client;
  }

  putAnnotation(): void {}
}
