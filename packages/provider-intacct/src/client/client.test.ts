import { jsonResponse, recordingFetch, type ScriptedAnswer, waitRecorder } from '@roster/core/testing';
import { OutcomeUnknownError } from '@roster/http';
import { consoleHeaders } from '@roster/sim-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../sandbox/server.js';
import { IntacctClient, type IntacctClientOptions, retryAfterMs } from './client.js';
import { IntacctApiError, IntacctNetworkError, parseErrorBody } from './errors.js';

const creds = { clientId: 'cid', clientSecret: 'top-secret-value', userId: 'Admin' };

/**
 * A scripted fetch: each API call takes the next answer (a Response, an Error to throw, or a
 * function of the call); the token endpoint always answers with a fresh token.
 */
function scripted(answers: ScriptedAnswer[]) {
  const api = recordingFetch(answers);
  const all = recordingFetch(undefined, (async (url: string, init: RequestInit) =>
    url.endsWith('/oauth2/token')
      ? jsonResponse(200, {
          token_type: 'Bearer',
          access_token: `tok-${all.calls.length}`,
          expires_in: 43200,
        })
      : api.fetch(url, init)) as typeof fetch);
  return { calls: all.calls, fetch: all.fetch, apiCalls: () => api.calls };
}

function client(extra: Partial<IntacctClientOptions> = {}) {
  return new IntacctClient({
    baseUrl: 'https://api.example',
    companyId: 'acme',
    credentials: creds,
    ...extra,
  });
}

const ref = (key: string, id: string) =>
  jsonResponse(201, { 'ia::result': { key, id, href: `/objects/x/${key}` } });

describe('query paging', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ companyId: 'demo-co' });
    await fetch(`${sim.url}/__sandbox/seed`, {
      method: 'POST',
      headers: consoleHeaders(sim.consoleToken),
      body: JSON.stringify({ users: 23, prefix: 'P' }),
    });
  });
  afterEach(() => sim.close());

  it('reads every page, the rest concurrently once the total is known', async () => {
    const c = new IntacctClient({
      baseUrl: sim.url,
      companyId: 'demo-co',
      credentials: creds,
      pageSize: 5,
      pageConcurrency: 2,
    });
    const rows = await c.query({
      object: 'company-config/user',
      fields: ['key', 'id'],
      orderBy: [{ id: 'asc' }],
    });
    expect(rows).toHaveLength(24);
    expect(rows[0]).toEqual({ key: '1', id: 'Admin' });
    expect(rows.at(-1)?.id).toBe('P_USER_000023');
    // 1 token + 5 pages (24 rows / 5 per page).
    expect(c.stats()).toEqual({ apiCalls: 6, throttled: 0 });
  });

  it('follows next page by page when the total is not given, and drops repeated keys', async () => {
    const page = (start: number, keys: string[], next: number | null) =>
      jsonResponse(200, {
        'ia::result': keys.map((k) => ({ key: k })),
        'ia::meta': { start, pageSize: 2, next },
      });
    const s = scripted([page(1, ['1', '2'], 3), page(3, ['2', '3'], 5), page(5, ['4'], null)]);
    const rows = await client({ fetch: s.fetch, pageSize: 2 }).query({
      object: 'company-config/user',
      fields: ['key'],
    });
    expect(rows.map((r) => r.key)).toEqual(['1', '2', '3', '4']);
    expect(s.apiCalls().map((c) => JSON.parse(c.body!).start)).toEqual([1, 3, 5]);
    expect(JSON.parse(s.apiCalls()[0]!.body!)).toMatchObject({ object: 'company-config/user', size: 2 });
  });

  it('refuses a page size above 4000', () => {
    expect(() => client({ pageSize: 4001 })).toThrow(/4000/);
  });
});

describe('retries', () => {
  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    const r = waitRecorder();
    const s = scripted([
      jsonResponse(429, { 'ia::error': { code: 'GW-0010', message: 'slow down' } }, { 'retry-after': '3' }),
      jsonResponse(429, { 'ia::error': { code: 'GW-0010' } }, { 'x-ia-throttle-limit-retryafter': '2' }),
      jsonResponse(200, { 'ia::result': { key: '7', id: 'X' } }),
    ]);
    const c = client({ fetch: s.fetch, sleep: r.sleep });
    expect(await c.get('company-config/user', '7')).toEqual({ key: '7', id: 'X' });
    expect(r.waits[0]).toBeGreaterThanOrEqual(3000);
    expect(r.waits[1]).toBeGreaterThanOrEqual(2000);
    expect(c.stats()).toEqual({ apiCalls: 4, throttled: 2 });
  });

  it('backs off exponentially on 503 and network errors for requests safe to repeat', async () => {
    const r = waitRecorder();
    const s = scripted([
      jsonResponse(503, { 'ia::result': { 'ia::error': { code: 'serviceUnavailable', message: 'busy' } } }),
      new TypeError('fetch failed'),
      jsonResponse(200, { 'ia::result': { key: '7', id: 'X', href: '' } }),
    ]);
    const c = client({ fetch: s.fetch, sleep: r.sleep, baseDelayMs: 100, random: () => 0.5 });
    await c.patch('company-config/user', '7', { userName: 'n' });
    expect(r.waits).toEqual([100, 200]);
    expect(s.apiCalls().every((x) => x.method === 'PATCH')).toBe(true);
  });

  it('gives up after maxAttempts with one clear line', async () => {
    const s = scripted(Array.from({ length: 3 }, () => new TypeError('fetch failed')));
    const c = client({ fetch: s.fetch, sleep: waitRecorder().sleep, maxAttempts: 3 });
    const err = await c.get('company-config/user', '1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntacctNetworkError);
    expect((err as Error).message).toBe(
      'Intacct could not be reached at api.example to read company-config/user 1 (fetch failed; 3 attempts)',
    );
  });

  it('never sends a create twice blindly: it looks the object up first', async () => {
    const s = scripted([new TypeError('socket hang up'), jsonResponse(500, {}), ref('9', 'WS_NEW')]);
    const lookups: string[] = [];
    const c = client({ fetch: s.fetch, sleep: waitRecorder().sleep });
    const out = await c.create(
      'company-config/user',
      { id: 'WS_NEW' },
      {
        idempotencyKey: 'idem-1',
        recover: async () => {
          lookups.push('looked');
          return undefined;
        },
      },
    );
    expect(out.key).toBe('9');
    expect(lookups).toHaveLength(2);
    const posts = s.apiCalls();
    expect(posts).toHaveLength(3);
    expect(posts.every((p) => p.headers['idempotency-key'] === 'idem-1')).toBe(true);
  });

  it('stops when the lookup finds the create did happen', async () => {
    const s = scripted([new TypeError('socket hang up')]);
    const c = client({ fetch: s.fetch, sleep: waitRecorder().sleep });
    const out = await c.create(
      'company-config/user',
      { id: 'WS_NEW' },
      {
        idempotencyKey: 'idem-2',
        recover: async () => ({ key: '41', id: 'WS_NEW' }),
      },
    );
    expect(out).toEqual({ key: '41', id: 'WS_NEW' });
    expect(s.apiCalls()).toHaveLength(1);
  });

  it('leaves a create whose outcome stays unknown to the next plan after maxAttempts lookups', async () => {
    const s = scripted([jsonResponse(500, {}), jsonResponse(500, {}), jsonResponse(500, {})]);
    let lookups = 0;
    const c = client({ fetch: s.fetch, sleep: waitRecorder().sleep, maxAttempts: 3 });
    const err = await c
      .create(
        'company-config/user',
        { id: 'WS_NEW' },
        {
          idempotencyKey: 'idem-3',
          what: 'create user WS_NEW',
          recover: async () => {
            lookups += 1;
            return undefined;
          },
        },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect((err as Error).message).toBe(
      'Intacct may or may not have carried out create user WS_NEW (HTTP 500): roster did not send it again, as that could do it twice; the next plan finds the object by its natural key if it was made',
    );
    expect(lookups).toBe(3);
    expect(s.apiCalls()).toHaveLength(3);
  });

  it('does not retry a refused create', async () => {
    const s = scripted([
      jsonResponse(422, { 'ia::result': { 'ia::error': { code: 'operationFailed', message: 'nope' } } }),
    ]);
    const err = await client({ fetch: s.fetch })
      .create('company-config/user', { id: 'X' }, { idempotencyKey: 'k', what: 'create user X' })
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('Intacct refused to create user X: nope (422 operationFailed)');
    expect(s.apiCalls()).toHaveLength(1);
  });

  it('treats a 404 on a repeated DELETE as done, but not on the first', async () => {
    const s = scripted([new TypeError('socket hang up'), jsonResponse(404, {})]);
    await client({ fetch: s.fetch, sleep: waitRecorder().sleep }).delete('company-config/user', '5');
    const t = scripted([
      jsonResponse(404, { 'ia::result': { 'ia::error': { code: 'notFound', message: 'gone' } } }),
    ]);
    await expect(
      client({ fetch: t.fetch }).delete('company-config/user', '5', { what: 'delete user X' }),
    ).rejects.toThrow('Intacct refused to delete user X: gone (404 notFound)');
  });
});

describe('authentication', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ companyId: 'demo-co', credentials: { ...creds } });
  });
  afterEach(() => sim.close());

  it('signs in form-encoded with username user@company, once, and reuses the token', async () => {
    const s = scripted([jsonResponse(200, { 'ia::result': {} }), jsonResponse(200, { 'ia::result': {} })]);
    const c = new IntacctClient({
      baseUrl: 'https://api.example/',
      companyId: 'acme',
      entityId: 'east',
      credentials: creds,
      fetch: s.fetch,
    });
    await Promise.all([c.get('company-config/user', '1'), c.get('company-config/user', '2')]);
    const tokens = s.calls.filter((x) => x.url.endsWith('/oauth2/token'));
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.url).toBe('https://api.example/ia/api/v1/oauth2/token');
    expect(tokens[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokens[0]!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'cid',
      client_secret: 'top-secret-value',
      username: 'Admin@acme|east',
    });
    expect(s.apiCalls()[0]!.headers.authorization).toBe('Bearer tok-1');
  });

  it('signs in again once on 401 and repeats the request', async () => {
    const c = new IntacctClient({ baseUrl: sim.url, companyId: 'demo-co', credentials: creds });
    await c.get('company-config/user', '1');
    await fetch(`${sim.url}/__sandbox/tokens/revoke`, {
      method: 'POST',
      headers: consoleHeaders(sim.consoleToken),
    });
    expect(await c.get('company-config/user', '1')).toMatchObject({ id: 'Admin' });
    // token, GET, GET (401), token, GET
    expect(c.stats().apiCalls).toBe(5);
  });

  it('reports refused credentials without revealing them', async () => {
    const c = new IntacctClient({
      baseUrl: sim.url,
      companyId: 'demo-co',
      credentials: { ...creds, clientSecret: 'wrong-secret' },
    });
    const err = (await c.get('company-config/user', '1').catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(
      'Intacct refused to sign in to company demo-co: The client ID or client secret is not valid (401 invalid_client)',
    );
    expect(err.message).not.toContain('wrong-secret');
    expect(err.message).not.toContain('Admin');
  });

  it('returns undefined for a missing object', async () => {
    const c = new IntacctClient({ baseUrl: sim.url, companyId: 'demo-co', credentials: creds });
    expect(await c.get('company-config/user', '999')).toBeUndefined();
  });
});

describe('error bodies', () => {
  it('parses ia::result.ia::error, top-level ia::error, error objects and OAuth2 errors', () => {
    expect(
      parseErrorBody(
        {
          'ia::result': {
            'ia::error': {
              code: 'invalidRequest',
              message: 'Payload contains errors',
              errorId: 'REST-1064',
              details: [
                { code: 'invalidRequest', message: '/newDate is not a valid field', target: '/newDate' },
              ],
            },
          },
        },
        400,
      ),
    ).toEqual({
      message: 'Payload contains errors: /newDate is not a valid field',
      code: 'invalidRequest',
      errorId: 'REST-1064',
      details: [{ code: 'invalidRequest', message: '/newDate is not a valid field', target: '/newDate' }],
    });
    expect(parseErrorBody({ 'ia::error': { code: 'GW-0010', message: 'limit' } }, 429)).toMatchObject({
      code: 'GW-0010',
      message: 'limit',
    });
    expect(parseErrorBody({ error: { code: 'x', message: 'y', supportId: 'z' } }, 500)).toMatchObject({
      code: 'x',
      message: 'y',
    });
    expect(parseErrorBody({ error: 'invalid_grant', error_description: 'bad' }, 401)).toMatchObject({
      code: 'invalid_grant',
      message: 'bad',
    });
    expect(parseErrorBody(undefined, 502, '<html>Bad\nGateway</html>').message).toBe(
      '<html>Bad Gateway</html>',
    );
    const e = new IntacctApiError(
      'update user X',
      422,
      parseErrorBody({ 'ia::error': { message: 'line one\nline two' } }, 422),
    );
    expect(e.message).toBe('Intacct refused to update user X: line one line two (422)');
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(retryAfterMs(new Headers({ 'x-ia-throttle-limit-retry-after': '1' }))).toBe(1000);
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});
