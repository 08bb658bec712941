import { describe, expect, it } from 'vitest';
import {
  bearerAuth,
  ConflictError,
  HttpClient,
  NetworkError,
  NotFoundError,
  transientFailures,
  UnavailableError,
} from '#client/index.ts';

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
}

type Answer = Response | Error;

/** A fetch that answers from a script, in turn (the last answer repeats), and records requests. */
function scriptedFetch(...answers: (() => Answer)[]) {
  const sent: Sent[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    sent.push({
      method: init?.method ?? 'GET',
      url: String(input),
      headers: { ...(init?.headers as Record<string, string>) },
    });
    const answer = (answers[sent.length - 1] ?? answers[answers.length - 1])?.();
    if (answer instanceof Error) throw answer;
    if (!answer) throw new Error('No answer scripted.');
    return answer;
  };
  return { fetch: fake as typeof fetch, sent };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', 'config-revision': '7', ...headers },
    });
const refused = () => () => new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
const busy = json(503, { error: 'write_contention', message: 'Busy.' });

/** A client whose waits are recorded, not slept, with a fixed "random". */
function clientWith(answers: (() => Answer)[], random = () => 0.5) {
  const { fetch, sent } = scriptedFetch(...answers);
  const waits: number[] = [];
  const client = new HttpClient({
    baseUrl: 'http://ledger.test',
    fetch,
    retry: transientFailures({ maxRetries: 4, baseDelayMs: 100, maxDelayMs: 1_000, random }),
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { client, sent, waits };
}

describe('Class: HttpClient', () => {
  describe('Method: send', () => {
    it('sends again after 429, 5xx and network errors, and returns the first success', async () => {
      const { client, sent } = clientWith([
        json(429, { error: 'throttled', message: 'Slow down.' }),
        json(502, { message: 'Bad Gateway' }),
        refused(),
        json(200, { ok: true }),
      ]);

      const response = await client.send({ method: 'GET', path: '/health' });

      expect(response.status).toBe(200);
      expect(response.revision).toBe(7);
      expect(sent).toHaveLength(4);
    });

    it('waits with full jitter: a random share of a ceiling that doubles, capped', async () => {
      const { client, waits } = clientWith([busy], () => 0.999);

      await expect(client.send({ method: 'GET', path: '/config' })).rejects.toBeInstanceOf(
        UnavailableError,
      );

      // Ceilings 100, 200, 400, 800 ms; the cap (1 s) is not reached yet.
      expect(waits).toEqual([99, 199, 399, 799]);
    });

    it('never waits longer than the cap nor retries more than maxRetries', async () => {
      const { fetch, sent } = scriptedFetch(busy);
      const waits: number[] = [];
      const client = new HttpClient({
        baseUrl: 'http://ledger.test',
        fetch,
        retry: transientFailures({ maxRetries: 8, baseDelayMs: 100, maxDelayMs: 1_000 }),
        sleep: async (ms) => {
          waits.push(ms);
        },
      });

      await expect(client.send({ method: 'GET', path: '/config' })).rejects.toThrow('Busy.');

      expect(sent).toHaveLength(9);
      expect(waits).toHaveLength(8);
      for (const wait of waits) {
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThan(1_000);
      }
    });

    it('honours Retry-After, within the cap', async () => {
      const { client, waits } = clientWith([
        json(503, { error: 'not_caught_up', message: 'Wait.' }, { 'retry-after': '0' }),
        json(429, { error: 'throttled', message: 'Wait.' }, { 'retry-after': '60' }),
        json(200, {}),
      ]);

      await client.send({ method: 'GET', path: '/config' });

      expect(waits).toEqual([0, 1_000]);
    });

    it('fails at once, typed, on what sending again cannot mend', async () => {
      const { client, sent } = clientWith([
        json(409, { error: 'version_conflict', message: 'At 2.', currentVersion: 2 }),
      ]);

      const error = await client
        .send({ method: 'PUT', path: '/config/a', body: '{"value":1,"expectedVersion":1}' })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ status: 409, code: 'version_conflict', currentVersion: 2 });
      expect(sent).toHaveLength(1);
    });

    it('says a 404 is NotFound and no answer at all is a NetworkError, after the retries', async () => {
      const missing = clientWith([json(404, { error: 'not_found', message: 'No a.' })]);
      const down = clientWith([refused()]);

      await expect(
        missing.client.send({ method: 'GET', path: '/config/a' }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(down.client.send({ method: 'GET', path: '/config/a' })).rejects.toThrow(
        new NetworkError('Cannot reach http://ledger.test: ECONNREFUSED.'),
      );
      expect(down.sent).toHaveLength(5);
    });

    it('gives every write an Idempotency-Key, the same on each of its retries', async () => {
      const { client, sent } = clientWith([busy, refused(), json(200, {})]);

      await client.send({ method: 'PUT', path: '/config/a', body: '{"value":1}' });
      await client.send({ method: 'PUT', path: '/config/a', body: '{"value":1}' });

      const keys = sent.map((request) => request.headers['idempotency-key']);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys.slice(0, 3)).toEqual([keys[0], keys[0], keys[0]]);
      expect(keys[3]).not.toBe(keys[0]);
    });

    it("keeps the caller's Idempotency-Key, and sends none on a read", async () => {
      const { client, sent } = clientWith([json(200, {})]);

      await client.send({
        method: 'DELETE',
        path: '/config/a',
        headers: { 'Idempotency-Key': 'mine' },
      });
      await client.send({ method: 'GET', path: '/config/a' });

      expect(sent[0]?.headers['idempotency-key']).toBe('mine');
      expect(sent[1]?.headers).not.toHaveProperty('idempotency-key');
    });

    it('returns a 304 as an answer with no body', async () => {
      const { client } = clientWith([
        () => new Response(null, { status: 304, headers: { etag: '"3"', 'config-revision': '9' } }),
      ]);

      const response = await client.send({ method: 'GET', path: '/config/a' });

      expect(response).toMatchObject({ status: 304, text: '', revision: 9 });
    });

    it('asks a bearer token function before each request, and sends none while it has none', async () => {
      const { fetch, sent } = scriptedFetch(json(200, {}));
      let token: string | undefined;
      const client = new HttpClient({
        baseUrl: 'http://ledger.test',
        fetch,
        auth: bearerAuth(() => token),
      });

      await client.send({ method: 'GET', path: '/config/a' });
      token = 'renewed';
      await client.send({ method: 'GET', path: '/config/a' });

      expect(sent.map((request) => request.headers.authorization)).toEqual([
        undefined,
        'Bearer renewed',
      ]);
    });
  });
});
