import { jsonResponse, recordingFetch, waitRecorder } from '@roster/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RawApi } from '../sandbox/api.testing.js';
import { type Simulator, startSimulator } from '../sandbox/server.js';
import { AutotaskClient, type AutotaskClientOptions, clearZoneCache, retryAfterMs } from './client.js';
import { AutotaskApiError, AutotaskBudgetError, AutotaskNetworkError, parseErrorBody } from './errors.js';

const creds = { username: 'roster-api@example.com', secret: 'top-secret-value', integrationCode: 'INTCODE' };
const ALL = [{ op: 'gte' as const, field: 'id', value: 0 }];

/** A client of a fixed zone with a scripted transport. */
function scriptedClient(answers: Array<Response | Error>, extra: Partial<AutotaskClientOptions> = {}) {
  const rec = recordingFetch(answers);
  const sleeper = waitRecorder();
  const client = new AutotaskClient({
    restRoot: 'https://webservices2.autotask.example',
    credentials: creds,
    fetch: rec.fetch,
    sleep: sleeper.sleep,
    thresholdCheckEvery: 0,
    random: () => 0.5,
    ...extra,
  });
  return { client, calls: rec.calls, waits: sleeper.waits };
}

beforeEach(() => clearZoneCache());

describe('against the simulator over HTTP', () => {
  let sim: Simulator;
  let api: RawApi;
  beforeEach(async () => {
    sim = await startSimulator({ credentials: creds });
    api = new RawApi(sim.url, undefined, sim.consoleToken);
  });
  afterEach(() => sim.close());

  const clientOf = (extra: Partial<AutotaskClientOptions> = {}) => {
    const rec = recordingFetch();
    const sleeper = waitRecorder();
    const client = new AutotaskClient({
      zoneLookupUrl: `${sim.url}/ATServicesRest`,
      credentials: creds,
      fetch: rec.fetch,
      sleep: sleeper.sleep,
      ...extra,
    });
    return { client, calls: rec.calls, waits: sleeper.waits };
  };

  it('looks the zone up without credentials, then sends the three headers to the zone it named', async () => {
    const { client, calls } = clientOf();
    expect(await client.apiRoot()).toBe(`${sim.url}/ATServicesRest/V1.0`);
    await client.query('Resources', { filter: ALL, includeFields: ['email'] });
    const [zone, threshold, query] = calls;
    expect(zone?.url).toBe(`${sim.url}/ATServicesRest/V1.0/ZoneInformation?user=roster-api%40example.com`);
    expect(Object.keys(zone!.headers)).toEqual(['accept']);
    expect(threshold?.url).toBe(`${sim.url}/ATServicesRest/V1.0/ThresholdInformation`);
    expect(query).toMatchObject({ method: 'POST', url: `${sim.url}/ATServicesRest/V1.0/Resources/query` });
    expect(query!.headers).toMatchObject({
      ApiIntegrationCode: 'INTCODE',
      UserName: 'roster-api@example.com',
      Secret: 'top-secret-value',
    });
    expect(JSON.parse(query!.body!)).toEqual({
      maxRecords: 500,
      includeFields: ['id', 'email'],
      filter: ALL,
    });
    // The zone is looked up once per username and lookup host, then cached.
    const again = clientOf();
    await again.client.apiRoot();
    expect(again.calls).toHaveLength(0);
  });

  it('reads more than 500 records by following nextPageUrl, POSTing the query again', async () => {
    await api.console('POST', '/seed', { resources: 1100, apiUsers: 100 });
    const { client, calls } = clientOf();
    const rows = await client.query('Resources', { filter: ALL, includeFields: ['email', 'isActive'] });
    expect(rows).toHaveLength(1201);
    expect(new Set(rows.map((r) => r.id)).size).toBe(1201);
    const pages = calls.filter((c) => c.url.includes('/Resources/query'));
    expect(pages.map((c) => c.method)).toEqual(['POST', 'POST', 'POST']);
    expect(pages[1]!.url).toMatch(/\/Resources\/query\/next\?paging=/);
    expect(pages[1]!.body).toBe(pages[0]!.body);
    // zone + threshold + 3 pages
    expect(client.stats()).toEqual({ apiCalls: 5, throttled: 0 });
  });

  it('reads and patches one resource, and reads the threshold', async () => {
    const made = await api.apiUser('alerts@example.com');
    const { client } = clientOf();
    expect(await client.get('Resources', made.id)).toMatchObject({ email: 'alerts@example.com' });
    expect(await client.get('Resources', 1)).toBeUndefined();
    expect(await client.patch('Resources', { id: made.id, isActive: false })).toBe(made.id);
    expect((await client.get('Resources', made.id))?.isActive).toBe(false);
    const t = await client.threshold();
    expect(t).toMatchObject({ externalRequestThreshold: 10_000, requestThresholdTimeframe: 60 });
    expect(t.currentTimeframeRequestCount).toBeGreaterThan(0);
    const fields = await client.fields('Resources');
    expect(fields.map((f) => f.name)).toContain('licenseType');
  });

  it('turns a refused write into one clear line, without retrying it', async () => {
    const made = await api.apiUser('alerts@example.com');
    const { client, calls } = clientOf();
    const err = await client
      .patch('Resources', { id: made.id, email: 'nope' }, 'update API user alerts@example.com')
      .catch((e) => e);
    expect(err).toBeInstanceOf(AutotaskApiError);
    expect(err.message).toBe(
      'Autotask refused to update API user alerts@example.com: nope is not a valid email address. (HTTP 500)',
    );
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
  });

  it('keeps to Autotask’s thread limit: at most 3 requests in flight per endpoint', async () => {
    sim.faults.set({ latencyMs: 60 });
    const { client } = clientOf({ thresholdCheckEvery: 0 });
    const made = await api.apiUser('alerts@example.com');
    const reads = await Promise.all(Array.from({ length: 7 }, () => client.get('Resources', made.id)));
    expect(reads.every((r) => r?.email === 'alerts@example.com')).toBe(true);
    expect(client.stats().throttled).toBe(0);
  });

  it('reports the hourly threshold at once when Retry-After asks for longer than it would wait', async () => {
    sim.threshold.set({ limit: 2 });
    const { client, waits } = clientOf({ thresholdCheckEvery: 0 });
    await client.query('Resources', { filter: ALL });
    await client.query('Resources', { filter: ALL });
    const err = await client.query('Resources', { filter: ALL }).catch((e) => e);
    expect(err).toBeInstanceOf(AutotaskApiError);
    expect(err.status).toBe(429);
    expect(err.message).toMatch(
      /threshold of 2 requests per hour has been exceeded .* try again in \d+ seconds/,
    );
    expect(waits).toEqual([]);
    expect(client.stats()).toEqual({ apiCalls: 4, throttled: 1 });
  });

  it('stops past its apiBudget share of what is left of the hourly threshold, and paces past half of it', async () => {
    // 100 allowed, 70 used by other integrations, 1 by roster's zone lookup: 29 left when roster
    // reads the threshold; its share 0.6 → 17 requests.
    sim.threshold.set({ limit: 100, used: 70 });
    const strict = clientOf({ apiBudget: 0.6, paceMs: 0 });
    for (let i = 0; i < 17; i++) await strict.client.get('Resources', 1);
    const err = await strict.client.query('Resources', { filter: ALL }).catch((e) => e);
    expect(err).toBeInstanceOf(AutotaskBudgetError);
    expect(err.message).toMatch(
      /^Autotask API budget spent: roster has made 17 requests in this hour, its budget of 17 \(--api-budget 0.6 of the 29 requests left of the database's hourly threshold of 100\), and stops rather than starve the database's other integrations\. The rolling window frees roster's requests by \d\d:\d\d UTC \(in 60 min\): run again then, or raise --api-budget$/,
    );
    expect(strict.calls.some((c) => c.url.includes('/query'))).toBe(false);
    const polite = clientOf({ paceMs: 250 });
    await polite.client.query('Resources', { filter: ALL });
    expect(polite.waits).toEqual([250]);
  });
});

describe('retries and errors', () => {
  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    const s = scriptedClient([
      jsonResponse(
        429,
        { errors: ['API thread threshold of 3 threads has been exceeded'] },
        { 'retry-after': '3' },
      ),
      jsonResponse(200, { item: { id: 7 } }),
    ]);
    expect(await s.client.get('Resources', 7)).toEqual({ id: 7 });
    expect(s.waits[0]).toBeGreaterThanOrEqual(3000);
    expect(s.client.stats()).toEqual({ apiCalls: 2, throttled: 1 });
  });

  it('backs off exponentially on 503, crashes (500 without errors) and network failures', async () => {
    const s = scriptedClient(
      [
        jsonResponse(503, { Message: 'The service is unavailable.' }),
        jsonResponse(500, { Message: 'An error has occurred.' }),
        new TypeError('fetch failed'),
        jsonResponse(200, { itemId: 7 }),
      ],
      { baseDelayMs: 100 },
    );
    expect(await s.client.patch('Resources', { id: 7, firstName: 'A' })).toBe(7);
    expect(s.waits).toEqual([100, 200, 400]);
    expect(s.calls.every((c) => c.method === 'PATCH')).toBe(true);
  });

  it('gives up after maxAttempts with one line naming the host, never the credentials', async () => {
    const s = scriptedClient(
      Array.from({ length: 3 }, () => new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })),
      { maxAttempts: 3 },
    );
    const err = await s.client.get('Resources', 7).catch((e) => e);
    expect(err).toBeInstanceOf(AutotaskNetworkError);
    expect(err.message).toBe(
      'Autotask could not be reached at webservices2.autotask.example to read Resources 7 (ECONNREFUSED; 3 attempts)',
    );
  });

  it('explains a 401 without repeating the credentials', async () => {
    const s = scriptedClient([jsonResponse(401, { errors: ['User authentication failed.'] })]);
    const err = await s.client.get('Resources', 7).catch((e) => e);
    expect(err.message).toMatch(
      /^Autotask rejected the credentials while trying to read Resources 7: User authentication failed\. \(HTTP 401\)/,
    );
    for (const v of Object.values(creds)) expect(err.message).not.toContain(v);
  });

  it('sends credentials only to the zone: a next page on another host stops the query', async () => {
    const s = scriptedClient([
      jsonResponse(200, {
        items: [{ id: 1 }],
        pageDetails: { nextPageUrl: 'https://evil.example/ATServicesRest/V1.0/Resources/query/next' },
      }),
    ]);
    await expect(s.client.query('Resources', { filter: ALL })).rejects.toThrow(/next page on another host/);
    expect(s.calls).toHaveLength(1);
  });

  it('refuses a zone lookup answer that is not https', async () => {
    const rec = recordingFetch([jsonResponse(200, { url: 'http://webservices9.example/ATServicesRest/' })]);
    const c = new AutotaskClient({ credentials: creds, fetch: rec.fetch, thresholdCheckEvery: 0 });
    await expect(c.apiRoot()).rejects.toThrow(/not https/);
    expect(rec.calls[0]?.url).toBe(
      'https://webservices.autotask.net/ATServicesRest/V1.0/ZoneInformation?user=roster-api%40example.com',
    );
  });

  it('follows a redirect of the zone lookup (it carries no credentials), never one of a request that does', async () => {
    const moved = new Response('', {
      status: 301,
      headers: { location: 'https://webservices1.autotask.net/atservicesrest/v1.0/zoneInformation?user=x' },
    });
    const rec = recordingFetch([
      moved,
      jsonResponse(200, { url: 'https://webservices2.autotask.example/ATServicesRest/' }),
      new Response('', { status: 307, headers: { location: 'https://collector.example/steal' } }),
    ]);
    const c = new AutotaskClient({ credentials: creds, fetch: rec.fetch, thresholdCheckEvery: 0 });
    expect(await c.apiRoot()).toBe('https://webservices2.autotask.example/ATServicesRest/V1.0');
    expect(rec.calls.map((x) => x.url)).toEqual([
      'https://webservices.autotask.net/ATServicesRest/V1.0/ZoneInformation?user=roster-api%40example.com',
      'https://webservices1.autotask.net/atservicesrest/v1.0/zoneInformation?user=x',
    ]);
    for (const call of rec.calls) expect(Object.keys(call.headers)).toEqual(['accept']);
    const err = (await c.query('Resources', { filter: ALL }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(
      /^query Resources: Autotask answered 307 \(a redirect\) to https:\/\/collector\.example; roster does not follow redirects/,
    );
    expect(rec.calls).toHaveLength(3);
  });

  it('refuses a zone lookup redirected from https to plain http', async () => {
    const rec = recordingFetch([
      new Response('', { status: 302, headers: { location: 'http://webservices1.autotask.net/zone' } }),
    ]);
    const c = new AutotaskClient({ credentials: creds, fetch: rec.fetch, thresholdCheckEvery: 0 });
    await expect(c.apiRoot()).rejects.toThrow(/never follows a redirect from https to plain http/);
    expect(rec.calls).toHaveLength(1);
  });

  it('reads errors in both shapes and Retry-After in both forms', () => {
    expect(parseErrorBody({ errors: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(parseErrorBody({ Message: 'No GET here.' })).toEqual(['No GET here.']);
    expect(parseErrorBody(undefined, '<html><body>Bad Gateway</body></html>')).toEqual(['Bad Gateway']);
    const h = new Headers({ 'retry-after': new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString() });
    expect(retryAfterMs(h, Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(() => new AutotaskClient({ credentials: creds, pageSize: 501 })).toThrow(/between 1 and 500/);
  });
});
