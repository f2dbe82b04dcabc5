import { jsonResponse, recordingFetch, waitRecorder } from '@roster/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INSERT_DEFAULTS, RawApi } from '../sandbox/api.testing.js';
import { type Simulator, startSimulator } from '../sandbox/server.js';
import { AfasClient, type AfasClientOptions, filterParams, OPERATOR, retryAfterMs } from './client.js';
import { AfasApiError, AfasNetworkError, parseErrorBody } from './errors.js';
import { tokenXml } from './token.js';

const TOKEN = tokenXml('C0FFEE'.repeat(10) + 'BEEF');

const page = (rows: unknown[]) => jsonResponse(200, { skip: 0, take: 100, rows });
const transport = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });

function client(extra: Partial<AfasClientOptions> = {}) {
  return new AfasClient({
    baseUrl: 'https://12345.rest.afas.online/ProfitRestServices',
    token: TOKEN,
    ...extra,
  });
}

describe('against the simulator', () => {
  let sim: Simulator;
  let api: RawApi;
  beforeEach(async () => {
    sim = await startSimulator();
    api = new RawApi(sim.url, undefined, sim.consoleToken);
    for (let i = 1; i <= 23; i++) await api.user(`P${String(i).padStart(2, '0')}`);
  });
  afterEach(() => sim.close());

  it('reads every page: one, then 1, 2, 4… at a time, until a short page', async () => {
    const spy = recordingFetch();
    const c = new AfasClient({
      baseUrl: sim.apiUrl,
      token: TOKEN,
      pageSize: 5,
      pageConcurrency: 4,
      fetch: spy.fetch,
    });
    const rows = await c.getRows('Profit_Users', { orderBy: ['UserId'], key: (r) => String(r.UserId) });
    expect(rows.map((r) => r.UserId)).toEqual(
      Array.from({ length: 23 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`),
    );
    // Pages of 5 at skip 0 | 5 | 10, 15 | 20 (short: done), 25, 30, 35 fetched speculatively.
    expect(spy.calls.map((x) => new URL(x.url).searchParams.get('skip'))).toEqual([
      '0',
      '5',
      '10',
      '15',
      '20',
      '25',
      '30',
      '35',
    ]);
    expect(spy.calls.every((x) => new URL(x.url).searchParams.get('take') === '5')).toBe(true);
    expect(spy.calls.every((x) => new URL(x.url).searchParams.get('orderbyfieldids') === 'UserId')).toBe(
      true,
    );
    expect(c.stats()).toEqual({ apiCalls: 8, throttled: 0 });
  });

  it('reads a small GetConnector in one call with the default page of 10,000', async () => {
    const spy = recordingFetch();
    const c = new AfasClient({ baseUrl: sim.apiUrl, token: TOKEN, fetch: spy.fetch });
    expect(await c.getRows('Profit_Users')).toHaveLength(23);
    expect(spy.calls).toHaveLength(1);
    expect(new URL(spy.calls[0]!.url).searchParams.get('take')).toBe('10000');
  });

  it('sends Authorization: AfasToken <Base64 of the whole XML token>, and English errors', async () => {
    const spy = recordingFetch();
    const c = new AfasClient({
      baseUrl: sim.apiUrl,
      token: 'C0FFEE'.repeat(10) + 'BEEF',
      integrationId: '12345_67890',
      fetch: spy.fetch,
    });
    await c.getPage('Profit_Users', 0, 1);
    const h = spy.calls[0]!.headers;
    expect(h.authorization).toMatch(/^AfasToken [A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(h.authorization!.slice('AfasToken '.length), 'base64').toString('utf8')).toBe(TOKEN);
    expect(h['accept-language']).toBe('en-us');
    expect(h.integrationid).toBe('12345_67890');
    expect(h.connection).toBeUndefined();
  });

  it('filters, also with values holding , or ; (filterjson)', async () => {
    const c = new AfasClient({ baseUrl: sim.apiUrl, token: TOKEN });
    const one = await c.getRows('Profit_Users', {
      filter: [[{ field: 'UserId', operator: OPERATOR.equals, value: 'p07' }]],
    });
    expect(one.map((r) => r.UserId)).toEqual(['P07']);
    const none = await c.getRows('Profit_Users', {
      filter: [[{ field: 'UserId', operator: OPERATOR.equals, value: 'a,b;c' }]],
    });
    expect(none).toEqual([]);
  });

  it('inserts and updates through KnUser (201, no body) and turns 500s into one-line errors', async () => {
    const c = new AfasClient({ baseUrl: sim.apiUrl, token: TOKEN, sleep: async () => {} });
    const body = {
      KnUser: {
        Element: { Fields: { UsId: 'WS-N', MtCd: '1', Nm: 'N', ...INSERT_DEFAULTS, InSi: true } },
      },
    };
    expect(await c.insert('KnUser', body, { what: 'insert user WS-N (KnUser)' })).toBeUndefined();
    const err = await c
      .insert('KnUser', body, { what: 'insert user WS-N (KnUser)' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AfasApiError);
    expect((err as AfasApiError).message).toMatch(
      /^AFAS Profit failed to insert user WS-N \(KnUser\): User 'WS-N' already exists \(500, profitLogReference [0-9A-F]{32}\)$/,
    );
    // A validation error is not retried.
    expect(c.stats().apiCalls).toBe(2);
  });

  it('explains a refused token without showing it, and never retries a 401', async () => {
    const own = tokenXml('A'.repeat(64));
    const closed = await startSimulator({ token: own });
    try {
      const c = new AfasClient({ baseUrl: closed.apiUrl, token: TOKEN });
      const err = (await c.getRows('Profit_Users').catch((e: unknown) => e)) as Error;
      expect(err.message).toBe(
        'AFAS Profit refused to read GetConnector Profit_Users: the token was refused: check that credentials.token is a valid token of this environment and its app connector (401)',
      );
      expect(err.message).not.toContain('C0FFEE');
      expect(c.stats().apiCalls).toBe(1);
    } finally {
      await closed.close();
    }
  });

  it('recovers an insert whose answer was lost: it is not sent twice', async () => {
    let dropNext = true;
    const dropping = (async (url: string, init: RequestInit) => {
      const res = await fetch(url, init);
      if (init.method === 'POST' && dropNext) {
        dropNext = false;
        throw transport(); // the user was created, but the client never hears it
      }
      return res;
    }) as typeof fetch;
    const c = new AfasClient({ baseUrl: sim.apiUrl, token: TOKEN, fetch: dropping, sleep: async () => {} });
    let lookups = 0;
    await c.insert(
      'KnUser',
      {
        KnUser: {
          Element: { Fields: { UsId: 'WS-D', MtCd: '1', Nm: 'D', ...INSERT_DEFAULTS, InSi: true } },
        },
      },
      {
        what: 'insert user WS-D (KnUser)',
        recover: async () => {
          lookups += 1;
          return (
            (await c.getRows('Profit_Users', { filter: [[{ field: 'UserId', operator: 1, value: 'WS-D' }]] }))
              .length > 0
          );
        },
      },
    );
    expect(lookups).toBe(1);
    const posts = (
      await api.get('Profit_Users', { filterfieldids: 'UserId', filtervalues: 'WS-D', operatortypes: '1' })
    ).json.rows;
    expect(posts).toHaveLength(1);
  });

  it('rides out throttling and errors the simulator injects', async () => {
    // A seeded random source: the same faults on every run.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const faulty = await startSimulator({ random });
    try {
      const raw = new RawApi(faulty.url, undefined, faulty.consoleToken);
      for (let i = 1; i <= 23; i++) await raw.user(`P${String(i).padStart(2, '0')}`);
      await raw.ok('POST', '/faults', { throttleRate: 0.3, errorRate: 0.3 });
      const t = waitRecorder();
      const c = new AfasClient({
        baseUrl: faulty.apiUrl,
        token: TOKEN,
        pageSize: 4,
        maxAttempts: 30,
        sleep: t.sleep,
      });
      const rows = await c.getRows('Profit_Users', { orderBy: ['UserId'], key: (r) => String(r.UserId) });
      expect(rows).toHaveLength(23);
      // Pages of 4 at skip 0 | 4 | 8, 12 | 16, 20, 24, 28: eight answers; every failed call was waited for.
      expect(c.stats().apiCalls).toBeGreaterThan(8);
      expect(t.waits.length).toBe(c.stats().apiCalls - 8);
      expect(c.stats().throttled).toBeGreaterThan(0);
    } finally {
      await faulty.close();
    }
  });
});

describe('retries', () => {
  it('waits as long as Retry-After asks on 429, and counts it as throttled', async () => {
    const s = recordingFetch([jsonResponse(429, undefined, { 'retry-after': '2' }), page([{ UserId: 'A' }])]);
    const t = waitRecorder();
    const c = client({ fetch: s.fetch, sleep: t.sleep, random: () => 0 });
    expect(await c.getRows('Profit_Users')).toEqual([{ UserId: 'A' }]);
    expect(t.waits).toEqual([2000]);
    expect(c.stats()).toEqual({ apiCalls: 2, throttled: 1 });
  });

  it('backs off exponentially on 503 without Retry-After, and on transient 500s', async () => {
    const s = recordingFetch([
      jsonResponse(503, { error: { code: '503', message: 'Maintenance' } }),
      jsonResponse(500, { externalMessage: 'An unexpected error has occurred.', errorNumber: -1 }),
      transport(),
      page([]),
    ]);
    const t = waitRecorder();
    const c = client({ fetch: s.fetch, sleep: t.sleep, random: () => 0.5, baseDelayMs: 100 });
    expect(await c.getRows('Profit_Users')).toEqual([]);
    expect(t.waits).toEqual([100, 200, 400]);
    expect(c.stats()).toEqual({ apiCalls: 4, throttled: 1 });
  });

  it('fails at once when maintenance asks to wait longer than it makes sense to', async () => {
    const s = recordingFetch([
      jsonResponse(
        503,
        { error: { code: '503', message: 'Maintenance' }, retry_after: 7200 },
        { 'retry-after': '7200' },
      ),
    ]);
    const err = (await client({ fetch: s.fetch })
      .getRows('Profit_Users')
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(
      'AFAS Profit failed to read GetConnector Profit_Users: Maintenance; AFAS asks to retry after 7200 s (503)',
    );
  });

  it('does not retry validation 500s, 403 or 404', async () => {
    for (const [status, body, expected] of [
      [
        500,
        { externalMessage: "Connector field 'X' not found", errorNumber: 12, profitLogReference: 'AB' },
        "Connector field 'X' not found (500, profitLogReference AB)",
      ],
      [403, undefined, "the app connector's IP restriction refuses this address (403)"],
      [404, undefined, 'wrong URL, unknown connector, or a query string over 2049 characters (404)'],
    ] as const) {
      const s = recordingFetch([jsonResponse(status, body)]);
      const c = client({ fetch: s.fetch });
      const err = (await c.getRows('Profit_Users').catch((e: unknown) => e)) as AfasApiError;
      expect(err.message.endsWith(expected)).toBe(true);
      expect(err.status).toBe(status);
      expect(c.stats().apiCalls).toBe(1);
    }
  });

  it('gives up on an unreachable host after maxAttempts with a network error', async () => {
    const s = recordingFetch([transport(), transport(), transport()]);
    const c = client({ fetch: s.fetch, maxAttempts: 3, sleep: async () => {} });
    const err = await c.getRows('Profit_Users').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AfasNetworkError);
    expect((err as Error).message).toBe(
      'AFAS Profit could not be reached at 12345.rest.afas.online to read GetConnector Profit_Users (ECONNRESET; 3 attempts)',
    );
  });

  it('resends an insert only after the lookup says it did not happen', async () => {
    const s = recordingFetch([jsonResponse(502, undefined), jsonResponse(201, undefined)]);
    let lookups = 0;
    const c = client({ fetch: s.fetch, sleep: async () => {} });
    const recover = async () => {
      lookups += 1;
      return false;
    };
    await c.insert('KnUser', {}, { what: 'insert', recover });
    expect(lookups).toBe(1);
    expect(s.calls.map((x) => x.method)).toEqual(['POST', 'POST']);
  });

  it('retries a PUT (absolute values) but sends an insert without a lookup only once per answer', async () => {
    const s = recordingFetch([transport(), jsonResponse(201, undefined)]);
    const c = client({ fetch: s.fetch, sleep: async () => {} });
    await c.update('KnUser', {}, { what: 'update' });
    expect(s.calls.map((x) => x.method)).toEqual(['PUT', 'PUT']);
  });

  it('refuses to send a query string longer than AFAS accepts', async () => {
    const c = client({ fetch: recordingFetch([]).fetch });
    const err = (await c
      .getRows('Profit_Users', { filter: [[{ field: 'UserId', operator: 1, value: 'x'.repeat(2100) }]] })
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/the query string would be \d+ characters; AFAS refuses more than 2049/);
  });

  it('stops when a server ignores skip', async () => {
    const same = () => jsonResponse(200, { skip: 0, take: 2, rows: [{ UserId: 'A' }, { UserId: 'B' }] });
    const s = recordingFetch([same(), same(), same(), same()]);
    const c = client({ fetch: s.fetch, pageSize: 2, pageConcurrency: 1 });
    const err = (await c
      .getRows('Profit_Users', { key: (r) => String(r.UserId) })
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/repeats the previous ones/);
  });
});

describe('helpers', () => {
  it('encodes filters as parallel lists, or filterjson when a value holds , or ;', () => {
    expect(
      filterParams([
        [
          { field: 'UserId', operator: 10, value: '12345.' },
          { field: 'Blocked', operator: 1, value: 'false' },
        ],
        [{ field: 'Email', operator: 8 }],
      ]),
    ).toEqual({
      filterfieldids: 'UserId,Blocked;Email',
      filtervalues: '12345.,false;',
      operatortypes: '10,1;8',
    });
    expect(JSON.parse(filterParams([[{ field: 'UserId', operator: 1, value: 'a;b' }]]).filterjson!)).toEqual({
      Filters: {
        Filter: [
          {
            '@FilterId': 'Filter 1',
            Field: [{ '@FieldId': 'UserId', '@OperatorType': '1', '#text': 'a;b' }],
          },
        ],
      },
    });
    expect(filterParams([])).toEqual({});
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '7' }))).toBe(7000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });

  it('parses error bodies whatever their Content-Type, then the header, then the status', () => {
    expect(
      parseErrorBody('{"externalMessage":"Bad\\r\\nthing","errorNumber":3,"profitLogReference":"F00"}', 500),
    ).toEqual({
      message: 'Bad thing',
      errorNumber: 3,
      logReference: 'F00',
      retryAfter: undefined,
    });
    expect(parseErrorBody('', 500, 'from the header').message).toBe('from the header');
    expect(parseErrorBody('<html>oops</html>', 502).message).toBe('<html>oops</html>');
    expect(parseErrorBody('', 418).message).toBe('HTTP 418 with no error details');
  });
});
