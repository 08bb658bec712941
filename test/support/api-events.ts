import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import putConfig from '../events/api-gateway/put-config.json' with { type: 'json' };

export interface RequestParts {
  readonly method?: string;
  readonly routeKey?: string;
  readonly rawPath?: string;
  readonly pathParameters?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** The body is base64, as API Gateway sends a binary one. @default false */
  readonly isBase64Encoded?: boolean;
}

/** An API Gateway HTTP API (payload 2.0) event, based on the recorded fixture. */
export function apiEvent(parts: RequestParts): APIGatewayProxyEventV2 {
  const base = structuredClone(putConfig) as unknown as APIGatewayProxyEventV2;
  return {
    ...base,
    routeKey: parts.routeKey ?? base.routeKey,
    rawPath: parts.rawPath ?? base.rawPath,
    headers: { ...base.headers, ...parts.headers },
    pathParameters: parts.pathParameters,
    queryStringParameters: parts.queryStringParameters,
    body: parts.body,
    isBase64Encoded: parts.isBase64Encoded ?? false,
    requestContext: {
      ...base.requestContext,
      http: {
        ...base.requestContext.http,
        method: parts.method ?? base.requestContext.http.method,
      },
    },
  };
}

export function jsonOf(result: { body?: string }): Record<string, unknown> {
  return JSON.parse(result.body ?? 'null');
}
