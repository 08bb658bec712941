import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/**
 * X-Ray tracing through Powertools, configured by the environment the deployment sets: the
 * service name (POWERTOOLS_SERVICE_NAME) and whether to trace at all (POWERTOOLS_TRACE_ENABLED;
 * `false` on the local stack, and Powertools never traces outside Lambda). Outgoing HTTP is not
 * patched: the only calls are DynamoDB's, traced once through the SDK client instead.
 */
export const tracer = new Tracer({ captureHTTPsRequests: false });

/** A Lambda handler as the runtime calls it once it is async: event and context in, a promise out. */
export type AsyncLambda<Event, Result> = (event: Event, context: Context) => Promise<Result>;

/**
 * The handler in a subsegment of the invocation's trace, annotated with the cold start and the
 * service, with a thrown error as metadata. Never the response: it carries configuration values,
 * which may be secrets. Untouched when tracing is off: not even a dummy segment per call.
 */
export function traced<Event, Result>(
  handler: AsyncLambda<Event, Result>,
): AsyncLambda<Event, Result> {
  if (!tracer.isTracingEnabled()) return handler;
  return async (event, context) => {
    const invocation = tracer.getSegment();
    const subsegment = invocation?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await handler(event, context);
    } catch (error) {
      tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      subsegment?.close();
      if (invocation) tracer.setSegment(invocation);
    }
  };
}
