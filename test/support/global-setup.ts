import type { TestProject } from 'vitest/node';
import { startEngine } from '#local/engine.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    engineEndpoint: string;
  }
}

/**
 * One engine for the whole run; test files create their own tables in it. The embedded one
 * (dynalite behind the strict layer), in memory, unless DYNAMODB_ENDPOINT names another
 * (`npm run test:engine` runs Amazon DynamoDB Local there).
 */
export default async function setup(project: TestProject) {
  const external = process.env.DYNAMODB_ENDPOINT;
  if (external) {
    project.provide('engineEndpoint', external);
    return async () => {};
  }
  const engine = await startEngine({
    host: '127.0.0.1',
    port: 0,
    streams: [],
    onStreamRecords: () => {},
  });
  project.provide('engineEndpoint', engine.endpoint);
  return () => engine.close();
}
