import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { HttpClient } from './http-client.js';
import { HttpNetworkError } from './network-error.js';
import { OutcomeUnknownError } from './outcome-unknown-error.js';
import { HttpRedirectError } from './redirect-error.js';
import { parseRetryAfter } from './retry-after.js';
import { type Step, TestServer } from './test-server.testing.js';
import type { HttpClientOptions } from './types.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server with this script and a client whose waits are recorded, not slept. */
async function setup(steps: Step[], opts: HttpClientOptions = {}) {
  server = await TestServer.start(steps);
  const waits: number[] = [];
  const http = new HttpClient({
    baseDelayMs: 100,
    random: () => 0.5,
    sleep: async (ms) => void waits.push(ms),
    ...opts,
  });
  return { server, http, waits, url: `${server.url}/x` };
}

const ok = { status: 200, body: '{"ok":true}' };

describe('idempotent requests', () => {
  it('retries 5xx with exponential back-off and full jitter, then returns the answer', async () => {
    const { http, waits, url, server } = await setup([{ status: 500 }, { status: 502 }, { status: 504 }, ok]);
    const r = await http.request({ method: 'GET', url, what: 'read x' });
    expect(r.status).toBe(200);
    expect(r.attempts).toBe(4);
    expect(server.seen).toHaveLength(4);
    // random 0.5 → the mean of [0, 2·100·2^(n−1)): 100, 200, 400.
    expect(waits).toEqual([100, 200, 400]);
    expect(http.stats()).toMatchObject({ apiCalls: 4, retries: 3, serverErrors: 3, throttled: 0 });
  });

  it('retries a dropped connection and a timeout', async () => {
    const { http, url, server } = await setup([{ drop: true }, { hang: true }, ok], { timeoutMs: 100 });
    const r = await http.request({ method: 'PUT', url, body: '{}', what: 'set x' });
    expect(r.status).toBe(200);
    expect(r.uncertain).toBe(true);
    expect(server.seen.map((s) => s.method)).toEqual(['PUT', 'PUT', 'PUT']);
    expect(http.stats().networkErrors).toBe(2);
  });

  it('gives up after maxAttempts with HttpNetworkError naming the reason and the attempts', async () => {
    const { http, url } = await setup([{ hang: true }], { timeoutMs: 50, maxAttempts: 3 });
    const err = await http.request({ method: 'GET', url, what: 'read x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpNetworkError);
    expect((err as HttpNetworkError).attempts).toBe(3);
    expect((err as HttpNetworkError).reason).toBe('timed out');
  });

  it('returns the last 5xx once attempts run out', async () => {
    const { http, url, server } = await setup([{ status: 500 }], { maxAttempts: 2 });
    const r = await http.request({ method: 'DELETE', url, what: 'delete x' });
    expect(r.status).toBe(500);
    expect(server.seen).toHaveLength(2);
  });

  it('does not retry a 5xx the request calls a refusal, nor a 4xx', async () => {
    const { http, url, server } = await setup([{ status: 500, body: '{"errors":["bad"]}' }]);
    const r = await http.request({
      method: 'GET',
      url,
      what: 'read x',
      transient: (x) => !x.text.includes('errors'),
    });
    expect(r.status).toBe(500);
    server.script([{ status: 404 }]);
    expect((await http.request({ method: 'GET', url, what: 'read x' })).status).toBe(404);
    expect(server.seen).toHaveLength(2);
  });

  it('stops once the waits would pass maxTotalDelayMs', async () => {
    const { http, url, server, waits } = await setup([{ status: 503 }], { maxTotalDelayMs: 350 });
    const r = await http.request({ method: 'GET', url, what: 'read x' });
    expect(r.status).toBe(503);
    expect(waits).toEqual([100, 200]);
    expect(server.seen).toHaveLength(3);
  });
});

describe('429 and 503 (not processed)', () => {
  it('honours Retry-After in seconds and as an HTTP date, for every method', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const { http, url, server, waits } = await setup(
      [
        { status: 429, headers: { 'retry-after': '3' } },
        { status: 503, headers: { 'retry-after': new Date(now + 5000).toUTCString() } },
        { status: 201 },
      ],
      { now: () => now, random: () => 0 },
    );
    const r = await http.request({ method: 'POST', url, body: '{}', what: 'create x' });
    expect(r.status).toBe(201);
    expect(waits).toEqual([3000, 5000]);
    expect(server.seen).toHaveLength(3);
    expect(http.stats()).toMatchObject({ throttled: 2, outcomeUnknown: 0 });
  });

  it('reads a wait from the body when the header is missing, and backs off without either', async () => {
    const { http, url, waits } = await setup(
      [{ status: 503, body: '{"retry_after":2}' }, { status: 429 }, ok],
      {
        random: () => 0,
      },
    );
    await http.request({
      method: 'GET',
      url,
      what: 'read x',
      retryAfterFromBody: (r) => (JSON.parse(r.text) as { retry_after?: number }).retry_after! * 1000,
    });
    expect(waits).toEqual([2000, 0]);
  });

  it('does not wait longer than maxDelayMs: the answer is returned with the wait asked for', async () => {
    const { http, url, server, waits } = await setup([{ status: 429, headers: { 'retry-after': '3600' } }], {
      maxDelayMs: 60_000,
    });
    const r = await http.request({ method: 'GET', url, what: 'read x' });
    expect(r.status).toBe(429);
    expect(r.retryAfterMs).toBe(3_600_000);
    expect(waits).toEqual([]);
    expect(server.seen).toHaveLength(1);
  });
});

describe('requests not safe to repeat (creates)', () => {
  it('never sends a create twice after a 5xx: OutcomeUnknownError', async () => {
    const { http, url, server } = await setup([{ status: 500, body: '{"m":"boom"}' }, { status: 201 }]);
    const err = await http
      .request({ method: 'POST', url, body: '{}', what: 'create x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect((err as OutcomeUnknownError).status).toBe(500);
    expect((err as OutcomeUnknownError).text).toBe('{"m":"boom"}');
    expect((err as Error).message).toBe(
      'the server may or may not have carried out create x (HTTP 500): roster did not send it again, as that could do it twice; the next plan finds the object by its natural key if it was made',
    );
    expect(server.seen).toHaveLength(1);
    expect(http.stats().outcomeUnknown).toBe(1);
  });

  it('never sends a create twice after the connection dropped', async () => {
    const { http, url, server } = await setup([{ drop: true }, { status: 201 }]);
    const err = await http
      .request({ method: 'POST', url, body: '{}', what: 'create x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(server.seen).toHaveLength(1);
  });

  it('retries a POST marked idempotent (a query, or an Idempotency-Key the server honours)', async () => {
    const { http, url, server } = await setup([{ drop: true }, { status: 500 }, ok]);
    const r = await http.request({ method: 'POST', url, body: '{}', what: 'query x', idempotent: true });
    expect(r.status).toBe(200);
    expect(server.seen).toHaveLength(3);
  });

  it('retries a create whose connection was refused: it never left this machine', async () => {
    const port = await freePort();
    const waits: number[] = [];
    const http = new HttpClient({ maxAttempts: 2, sleep: async (ms) => void waits.push(ms) });
    const err = await http
      .request({ method: 'POST', url: `http://127.0.0.1:${port}/x`, body: '{}', what: 'create x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpNetworkError);
    expect((err as HttpNetworkError).reason).toBe('ECONNREFUSED');
    expect(http.stats().apiCalls).toBe(2);
  });
});

describe('concurrency', () => {
  it('keeps at most `concurrency` requests in flight per client, and `keyConcurrency` per key', async () => {
    const { http, url, server } = await setup([ok], { concurrency: 2 });
    server.latencyMs = 30;
    await Promise.all(Array.from({ length: 8 }, () => http.request({ method: 'GET', url, what: 'read' })));
    expect(server.maxInFlight).toBe(2);
    const keyed = new HttpClient({ concurrency: 10, keyConcurrency: 3 });
    server.maxInFlight = 0;
    await Promise.all(
      Array.from({ length: 9 }, () =>
        keyed.request({ method: 'GET', url, what: 'read', limitKey: 'Resources' }),
      ),
    );
    expect(server.maxInFlight).toBe(3);
  });

  it('runs a check before every attempt; its error ends the request', async () => {
    const { http, url, server } = await setup([{ status: 503 }, ok]);
    let checks = 0;
    const err = await http
      .request({
        method: 'GET',
        url,
        what: 'read',
        beforeAttempt: async () => {
          checks += 1;
          if (checks === 2) throw new Error('over budget');
        },
      })
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('over budget');
    expect(server.seen).toHaveLength(1);
  });
});

describe('helpers', () => {
  it('parses Retry-After as seconds or an HTTP date, and ignores garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:09 GMT', now)).toBe(9000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('spreads back-off over [0, 2·step), capped', () => {
    const s = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, s, () => 0)).toBe(0);
    expect(backoffDelay(3, s, () => 0.999)).toBeCloseTo(799.2);
    expect(backoffDelay(10, s, () => 0.5)).toBe(1000);
  });
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('redirects', () => {
  let other: TestServer | undefined;
  afterEach(async () => {
    await other?.close();
    other = undefined;
  });

  for (const status of [301, 302, 303, 307, 308]) {
    it(`never follows a ${status} with credentials: the other host receives nothing, the error names status and target`, async () => {
      other = await TestServer.start([ok], '127.0.0.2');
      const { http, server, url } = await setup(
        [{ status, headers: { location: `${other.url}/steal?token=abc#x` } }],
        { system: 'Intacct' },
      );
      const err = await http
        .request({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'client_id=c&client_secret=s3cr3t',
          what: 'sign in to company demo',
          idempotent: true,
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpRedirectError);
      expect((err as Error).message).toBe(
        `sign in to company demo: Intacct answered ${status} (a redirect) to ${other.url}; roster does not follow redirects: the request carries credentials. Check the endpoint URL: it must be the address that answers itself`,
      );
      expect((err as Error).message).not.toContain('steal');
      expect(server.seen).toHaveLength(1); // not retried either
      expect(other.seen).toEqual([]);
    });
  }

  it('a GET with credential headers is not followed either', async () => {
    other = await TestServer.start([ok], '127.0.0.2');
    const { http, url } = await setup([{ status: 302, headers: { location: `${other.url}/x` } }]);
    await expect(
      http.request({ method: 'GET', url, headers: { Secret: 's', UserName: 'u' }, what: 'query Resources' }),
    ).rejects.toThrow(/answered 302 \(a redirect\) to http:\/\/127\.0\.0\.2:\d+; roster does not follow/);
    expect(other.seen).toEqual([]);
  });

  it('followRedirects: a GET without credentials follows, at most 5 hops', async () => {
    other = await TestServer.start([{ status: 200, body: '{"url":"zone"}' }], '127.0.0.2');
    const { http, url, server } = await setup([{ status: 301, headers: { location: `${other.url}/zone` } }]);
    const r = await http.request({
      method: 'GET',
      url,
      headers: { accept: 'application/json' },
      what: 'look up the zone',
      followRedirects: true,
    });
    expect(r.status).toBe(200);
    expect(server.seen).toHaveLength(1);
    expect(other.seen.map((s) => s.url)).toEqual(['/zone']);
    server.script([{ status: 302, headers: { location: '/again' } }]);
    await expect(http.request({ method: 'GET', url, what: 'loop', followRedirects: true })).rejects.toThrow(
      /more than 5 redirects/,
    );
  });

  it('followRedirects is refused for a request that carries anything but safe headers, or a body', async () => {
    const { http, url, server } = await setup([ok]);
    await expect(
      http.request({
        method: 'GET',
        url,
        headers: { authorization: 'Bearer x' },
        what: 'read',
        followRedirects: true,
      }),
    ).rejects.toThrow(
      /only a GET without a body or credential headers may follow redirects \(it has authorization\)/,
    );
    await expect(
      http.request({ method: 'POST', url, body: 'x', what: 'post', followRedirects: true }),
    ).rejects.toThrow(/only a GET/);
    expect(server.seen).toEqual([]);
  });

  it('never follows from https to plain http', async () => {
    const fetchImpl = (async (input: string | URL | Request) => {
      const u = String(input);
      if (u.startsWith('https://'))
        return new Response('', { status: 302, headers: { location: 'http://evil.example:80/x' } });
      throw new Error(`must not be called: ${u}`);
    }) as typeof fetch;
    const http = new HttpClient({ fetch: fetchImpl, sleep: async () => {} });
    await expect(
      http.request({
        method: 'GET',
        url: 'https://webservices.autotask.net/z',
        what: 'zone',
        followRedirects: true,
      }),
    ).rejects.toThrow(
      /answered 302 \(a redirect\) to http:\/\/evil\.example; roster never follows a redirect from https to plain http/,
    );
  });
});
