import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpHandler } from '#http/http-handler.ts';
import { withIdempotency } from '#http/idempotency.ts';
import type { HttpResponse } from '#http/responses.ts';
import { lambdaContext } from '#local/lambda-context.ts';
import { idempotencyRecordsFromEnv } from '#store/runtime.ts';
import { apiEvent, jsonOf } from '#test/api-events.ts';
import { createTestTables } from '#test/stores.ts';

/** Short, for the test that waits it out. */
const shortTimeoutMs = 300;
/** Long enough that no engine, however slow, lets it pass before the retry arrives. */
const longTimeoutMs = 60_000;

/**
 * A write whose first invocation never finishes, as when the function is killed or times out
 * after Powertools recorded the key as in progress; later invocations write and answer 201.
 */
function interruptedOnce(timeoutMs: number) {
  let writes = 0;
  let calls = 0;
  let signalEntered: () => void = () => {};
  const entered = new Promise<void>((resolve) => {
    signalEntered = resolve;
  });
  const lambda = httpHandler(
    withIdempotency(idempotencyRecordsFromEnv(), async (): Promise<HttpResponse> => {
      calls += 1;
      if (calls === 1) {
        signalEntered();
        return new Promise<never>(() => {});
      }
      writes += 1;
      return { statusCode: 201, body: { written: writes } };
    }),
  );
  const send = (key: string, requestId: string) =>
    lambda(
      apiEvent({
        body: JSON.stringify({ value: 1 }),
        headers: { 'idempotency-key': key },
        pathParameters: { name: 'idem.deadline' },
      }),
      lambdaContext('put-config', requestId, timeoutMs),
    );
  return { send, entered, writes: () => writes };
}

beforeAll(async () => {
  await createTestTables();
});

describe('Idempotency: a key held by an interrupted invocation', () => {
  it('is refused with 409 while the first invocation may still be running', async () => {
    const write = interruptedOnce(longTimeoutMs);
    void write.send('deadline-1', 'first');
    await write.entered;

    const retry = await write.send('deadline-1', 'retry');

    expect(retry.statusCode).toBe(409);
    expect(jsonOf(retry)).toMatchObject({ error: 'idempotency_key_in_progress' });
    expect(write.writes()).toBe(0);
  });

  it("is accepted again once the first invocation's timeout has passed, and writes once", async () => {
    const write = interruptedOnce(shortTimeoutMs);
    void write.send('deadline-2', 'first');
    await write.entered;
    await sleep(shortTimeoutMs + 100);

    const retry = await write.send('deadline-2', 'retry');
    const again = await write.send('deadline-2', 'again');

    expect(retry.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers).toMatchObject({ 'idempotency-replayed': 'true' });
    expect(jsonOf(again)).toEqual(jsonOf(retry));
    expect(write.writes()).toBe(1);
  });
});
