import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  consoleBuildDir,
  consoleCacheControl,
  consoleSecurityHeaders,
} from '../../console/hosting.ts';
import { type ConsoleSettings, settingsPath } from '../../console/src/settings-schema.ts';

/** The local stack has no sign-in, so the console talks to its own origin only. */
const securityHeaders = consoleSecurityHeaders();

/**
 * What the local stack tells the console about itself: no sign-in (callers name themselves with
 * X-Actor). The CDK stack writes its own settings file next to index.html.
 */
export const localConsoleSettings: ConsoleSettings = {};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/**
 * A file of the console's build for a GET that matched no API route, or undefined (the caller
 * answers its JSON 404 as before). `/` is the console's index.html; the settings are the local
 * stack's own; nothing outside the build folder is ever read.
 */
export async function consoleFile(
  rawPath: string,
  requestId: string,
): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  if (rawPath === settingsPath) {
    const settings = Buffer.from(JSON.stringify(localConsoleSettings));
    return answer(requestId, contentTypes['.json'], consoleCacheControl.pages, settings);
  }
  const file = resolveInBuild(rawPath === '/' ? '/index.html' : rawPath);
  if (!file || !(await isFile(file))) return undefined;
  // Hashed asset names never change content; index.html must be fetched again.
  const cacheControl = file.includes(`${sep}assets${sep}`)
    ? consoleCacheControl.assets
    : consoleCacheControl.pages;
  return answer(requestId, contentTypes[extname(file)], cacheControl, await readFile(file));
}

function answer(
  requestId: string,
  contentType: string | undefined,
  cacheControl: string,
  body: Buffer,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: {
      'content-type': contentType ?? 'application/octet-stream',
      'x-request-id': requestId,
      'cache-control': cacheControl,
      ...securityHeaders,
    },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}

function resolveInBuild(rawPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = normalize(join(consoleBuildDir, decoded));
  return file.startsWith(consoleBuildDir) ? file : undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
