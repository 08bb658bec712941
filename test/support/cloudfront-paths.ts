import { apiPathPatterns } from '../../infra/cdk/console-hosting.ts';

/** CloudFront's path pattern rule: `*` matches any characters, `/` included. */
function matches(pattern: string, path: string): boolean {
  const expression = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${expression}$`).test(path);
}

/** Whether the console's distribution sends this path to the API (see ConsoleHosting). */
export function routedToApi(path: string): boolean {
  return apiPathPatterns().some((pattern) => matches(pattern, path));
}
