import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_TRACKING_IDENTIFIER } from '../config.js';
import { type Json, RawApi } from './api.testing.js';
import { type Simulator, type SimulatorOptions, startSimulator } from './server.js';

let sim: Simulator;
let api: RawApi;

async function start(opts: SimulatorOptions = {}) {
  sim = await startSimulator(opts);
  api = new RawApi(sim.url, undefined, sim.consoleToken);
}
afterEach(async () => {
  await sim.close();
});

const ALL = { filter: [{ op: 'gte', field: 'id', value: 0 }] };

describe('the REST API of Resources', () => {
  beforeEach(() => start());

  it('serves the zone lookup without credentials, pointing back at itself', async () => {
    const r = await api.call('GET', '/zoneInformation?user=someone%40example.com', undefined, {});
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      zoneName: 'roster sandbox',
      url: `${sim.url}/ATServicesRest/`,
      webUrl: `${sim.url}/`,
      ci: 0,
    });
    const v = await api.call('GET', '/ATServicesRest/versioninformation', undefined, {});
    expect(v.json).toEqual({ apiVersions: ['1.0'] });
  });

  it('answers 401 when a credential header is missing, naming which', async () => {
    const r = await api.call('POST', '/Resources/query', ALL, { UserName: 'x', Secret: 'y' });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ errors: ['Missing authentication headers: ApiIntegrationCode'] });
    // Header names are case-insensitive.
    const ok = await api.call('POST', '/Resources/query', ALL, {
      apiintegrationcode: SANDBOX_TRACKING_IDENTIFIER,
      USERNAME: 'u',
      secret: 's',
    });
    expect(ok.status).toBe(200);
  });

  it('refuses POST and DELETE of resources and GET of the collection, as Autotask does (405)', async () => {
    const post = await api.call('POST', '/Resources', {
      firstName: 'New',
      lastName: 'User',
      email: 'n@x.io',
    });
    expect(post.status).toBe(405);
    expect(post.json).toEqual({ Message: "The requested resource does not support http method 'POST'." });
    const del = await api.call('DELETE', '/Resources/29682885');
    expect(del.status).toBe(405);
    expect(del.json.Message).toMatch(/'DELETE'/);
    expect((await api.call('GET', '/Resources')).status).toBe(405);
    const info = await api.call('GET', '/Resources/entityInformation');
    expect(info.json.info).toMatchObject({
      canCreate: false,
      canDelete: false,
      canQuery: true,
      canUpdate: true,
    });
  });

  it('reads by id as {item}, null when there is none, and never shows UI-only facts', async () => {
    const made = await api.apiUser('alerts@example.com');
    const r = await api.call('GET', `/Resources/${made.id}`);
    expect(r.json.item).toMatchObject({
      id: made.id,
      email: 'alerts@example.com',
      isActive: true,
      licenseType: 7,
    });
    const text = JSON.stringify(r.json);
    for (const hidden of ['securityLevel', 'integrationVendor', 'Office Protect', 'locked', 'secret'])
      expect(text).not.toContain(hidden);
    expect((await api.call('GET', '/Resources/1')).json).toEqual({ item: null });
  });

  it('updates with PATCH (only what is sent) and PUT (what is not sent becomes null)', async () => {
    const made = await api.apiUser('alerts@example.com');
    await api.call('PATCH', '/Resources', { id: made.id, title: 'Integration' });
    const p = await api.call('PATCH', '/Resources', { id: made.id, firstName: 'Alerts', isActive: false });
    expect(p).toMatchObject({ status: 200, json: { itemId: made.id } });
    let item = (await api.call('GET', `/Resources/${made.id}`)).json.item;
    expect(item).toMatchObject({ firstName: 'Alerts', isActive: false, title: 'Integration' });
    await api.call('PUT', '/Resources', {
      id: made.id,
      firstName: 'A',
      lastName: 'B',
      email: 'alerts@example.com',
      isActive: true,
    });
    item = (await api.call('GET', `/Resources/${made.id}`)).json.item;
    expect(item).toMatchObject({ firstName: 'A', title: null, isActive: true });
  });

  it('refuses bad writes with 500 and an errors list', async () => {
    const made = await api.apiUser('alerts@example.com');
    const bad = await api.call('PATCH', '/Resources', {
      id: made.id,
      email: 'not-an-address',
      userName: 'other@x.io',
      isActive: 'yes',
      nickname: 'x',
    });
    expect(bad.status).toBe(500);
    expect(bad.json.errors).toEqual([
      'not-an-address is not a valid email address.',
      'userName is read-only.',
      'isActive must be true or false.',
      'Unable to find nickname in the Resource entity.',
    ]);
    expect((await api.call('PATCH', '/Resources', { firstName: 'x' })).json).toEqual({
      errors: ['id is required to update a Resource.'],
    });
    expect((await api.call('PATCH', '/Resources', { id: 1, firstName: 'x' })).status).toBe(404);
  });

  it('pages with MaxRecords and nextPageUrl: POSTed again with the body, or GET with search', async () => {
    await api.console('POST', '/seed', { resources: 7 });
    const first = await api.query({ MaxRecords: 3, IncludeFields: ['id', 'email'], Filter: ALL.filter });
    expect(first.json.items).toHaveLength(3);
    expect(first.json.items[0]).toEqual({ id: 29682885, email: 'admin@roster-sandbox.local' });
    expect(first.json.pageDetails).toMatchObject({ count: 3, requestCount: 3, prevPageUrl: null });
    const next: string = first.json.pageDetails.nextPageUrl;
    expect(next).toMatch(/\/ATServicesRest\/V1\.0\/Resources\/query\/next\?paging=/);
    expect(next).not.toContain('search=');
    expect((await api.call('GET', next)).status).toBe(405);
    const second = await api.call('POST', next, { MaxRecords: 3, Filter: ALL.filter });
    expect(second.json.items.map((i: Json) => i.id)).toEqual([29682888, 29682889, 29682890]);
    const third = await api.call('POST', second.json.pageDetails.nextPageUrl, ALL);
    expect(third.json.items).toHaveLength(2);
    expect(third.json.pageDetails.nextPageUrl).toBeNull();

    const search = encodeURIComponent(JSON.stringify({ maxRecords: 5, filter: ALL.filter }));
    const g = await api.call('GET', `/Resources/query?search=${search}`);
    expect(g.json.items).toHaveLength(5);
    expect(g.json.pageDetails.nextPageUrl).toContain('&search=');
    const g2 = await api.call('GET', g.json.pageDetails.nextPageUrl);
    expect(g2.json.items).toHaveLength(3);
    expect((await api.call('POST', '/Resources/query/count', ALL)).json).toEqual({ queryCount: 8 });
  });

  it('evaluates the operators, and/or groups, case-insensitively', async () => {
    await api.apiUser('Alerts@Example.com');
    await api.apiUser('backup@example.com', { active: false });
    const emails = async (filter: unknown[]) =>
      (await api.query({ filter, IncludeFields: ['email'] })).json.items.map((i: Json) => i.email).sort();
    expect(await emails([{ op: 'eq', field: 'email', value: 'alerts@example.com' }])).toEqual([
      'Alerts@Example.com',
    ]);
    expect(await emails([{ op: 'eq', field: 'isActive', value: false }])).toEqual(['backup@example.com']);
    expect(
      await emails([
        {
          op: 'or',
          items: [
            { op: 'beginsWith', field: 'email', value: 'ALERTS' },
            { op: 'endsWith', field: 'email', value: '.local' },
          ],
        },
      ]),
    ).toEqual(['Alerts@Example.com', 'admin@roster-sandbox.local']);
    expect(
      await emails([
        { op: 'in', field: 'licenseType', value: [7] },
        { op: 'exist', field: 'email' },
      ]),
    ).toHaveLength(2);
    expect(
      await emails([
        { op: 'notExist', field: 'title' },
        { op: 'contains', field: 'email', value: 'xample' },
      ]),
    ).toEqual(['Alerts@Example.com', 'backup@example.com']);
  });

  it('refuses what Autotask refuses in a query', async () => {
    const err = async (body: Record<string, unknown>) => {
      const r = await api.query(body);
      expect(r.status).toBe(500);
      return r.json.errors[0] as string;
    };
    expect(await err({ MaxRecords: 501, ...ALL })).toBe(
      'MaxRecords must be a whole number between 1 and 500.',
    );
    expect(await err({ filter: [{ op: 'eq', field: 'isActive', value: null }] })).toMatch(
      /must be true or false/,
    );
    expect(await err({ filter: [{ op: 'eq', field: 'nickname', value: 'x' }] })).toBe(
      'Unable to find nickname in the Resource entity.',
    );
    expect(await err({ filter: [{ op: 'like', field: 'email', value: 'x' }] })).toMatch(/unknown operator/);
    const ors = Array.from({ length: 501 }, (_, i) => ({ op: 'eq', field: 'id', value: i }));
    expect(await err({ filter: [{ op: 'or', items: ors }] })).toBe(
      "Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions.",
    );
    expect(await err({ filter: [] })).toMatch(/at least one condition/);
  });

  it('describes the Resources fields with licenseType labels', async () => {
    const r = await api.call('GET', '/Resources/entityInformation/fields');
    const lt = r.json.fields.find((f: Json) => f.name === 'licenseType');
    expect(lt.isPickList).toBe(true);
    expect(lt.picklistValues.map((p: Json) => p.label)).toContain('API User');
  });
});

describe('credentials, threshold and thread limit', () => {
  it('checks ApiIntegrationCode against the calling API user’s tracking identifier, as Autotask does', async () => {
    await start();
    const made = await api.apiUser('alerts@example.com');
    const other = await api.apiUser('other@example.com');
    const h = { ApiIntegrationCode: made.trackingIdentifier, UserName: made.username, Secret: made.secret };
    expect((await api.call('POST', '/Resources/query', ALL, h)).status).toBe(200);
    // Missing: 401, naming the header (sign-in fails without the tracking value).
    const { ApiIntegrationCode: _, ...without } = h;
    const missing = await api.call('POST', '/Resources/query', ALL, without);
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ errors: ['Missing authentication headers: ApiIntegrationCode'] });
    // Another API user's identifier, or one made up: 500 with errors, as Autotask answers it.
    for (const code of [other.trackingIdentifier, 'MADEUPCODE', SANDBOX_TRACKING_IDENTIFIER]) {
      const wrong = await api.call('POST', '/Resources/query', ALL, { ...h, ApiIntegrationCode: code });
      expect(wrong.status).toBe(500);
      expect(wrong.json).toEqual({ errors: ['IntegrationCode is invalid.'] });
    }
    // The sandbox's own calling user (no credentials declared): any username and secret, its own code only.
    const anyone = { UserName: 'someone@example.com', Secret: 'whatever' };
    expect(
      (
        await api.call('POST', '/Resources/query', ALL, {
          ...anyone,
          ApiIntegrationCode: SANDBOX_TRACKING_IDENTIFIER,
        })
      ).status,
    ).toBe(200);
    const madeUp = await api.call('POST', '/Resources/query', ALL, { ...anyone, ApiIntegrationCode: 'TEST' });
    expect(madeUp.status).toBe(500);
    expect(madeUp.json).toEqual({ errors: ['IntegrationCode is invalid.'] });
    expect((await api.call('POST', '/Resources/query', ALL, anyone)).status).toBe(401);
    // The zone lookup needs none.
    expect((await api.call('GET', '/zoneInformation?user=someone%40example.com', undefined, {})).status).toBe(
      200,
    );
  });

  it('serves the picklist labels of the database, which clients go by', async () => {
    await start({ picklists: { licenseType: [{ value: 7, label: 'Utilisateur API' }] } });
    const r = await api.call('GET', '/Resources/entityInformation/fields');
    const lt = r.json.fields.find((f: Json) => f.name === 'licenseType');
    expect(lt.picklistValues).toEqual([
      {
        value: '7',
        label: 'Utilisateur API',
        isDefaultValue: false,
        sortOrder: 0,
        parentValue: '',
        isActive: true,
        isSystem: true,
      },
    ]);
    expect(r.json.fields.find((f: Json) => f.name === 'email').picklistValues).toEqual([]);
  });

  it('with declared credentials, reproduces Autotask quirks: unknown user and bad code are 500, bad secret 401', async () => {
    await start({ credentials: { username: 'roster@example.com', secret: 's3', integrationCode: 'CODE' } });
    const h = { ApiIntegrationCode: 'CODE', UserName: 'roster@example.com', Secret: 's3' };
    expect((await api.call('POST', '/Resources/query', ALL, h)).status).toBe(200);
    expect((await api.call('POST', '/Resources/query', ALL, { ...h, Secret: 'nope' })).status).toBe(401);
    expect((await api.call('POST', '/Resources/query', ALL, { ...h, UserName: 'who@x.io' })).status).toBe(
      500,
    );
    expect((await api.call('POST', '/Resources/query', ALL, { ...h, ApiIntegrationCode: 'X' })).status).toBe(
      500,
    );
    const unknown = await api.call('GET', '/ZoneInformation?user=who%40x.io', undefined, {});
    expect(unknown.status).toBe(500);
    expect(unknown.json).toEqual({ errors: ['Zone information could not be determined'] });
    expect((await api.call('GET', '/zoneInformation?user=roster%40example.com', undefined, {})).status).toBe(
      200,
    );
  });

  it('lets an API user made in the console sign in with its secret, and not once locked or inactive', async () => {
    await start({ credentials: { username: 'roster@example.com', secret: 's3', integrationCode: 'CODE' } });
    const made = await api.apiUser('alerts@example.com');
    expect(made.secret).toHaveLength(25);
    expect(made.username).toMatch(/^[A-Z0-9]{15}@roster-sandbox\.local$/);
    expect(made.trackingIdentifier).toMatch(/^[A-Z0-9]{24}$/);
    const h = { ApiIntegrationCode: made.trackingIdentifier, UserName: made.username, Secret: made.secret };
    expect((await api.call('GET', '/ThresholdInformation', undefined, h)).status).toBe(200);
    expect(
      (await api.call('GET', '/ThresholdInformation', undefined, { ...h, Secret: 'wrong' })).status,
    ).toBe(401);
    await api.console('PATCH', `/api-users/${made.id}`, { locked: true });
    const locked = await api.call('GET', '/ThresholdInformation', undefined, h);
    expect(locked.json.errors[0]).toMatch(/locked/);
    await api.console('PATCH', `/api-users/${made.id}`, { locked: false, active: false });
    expect((await api.call('GET', '/ThresholdInformation', undefined, h)).json.errors[0]).toMatch(/inactive/);
  });

  it('counts requests against the hourly threshold and answers 429 with Retry-After past it', async () => {
    await start({ hourlyThreshold: 5 });
    const t = await api.call('GET', '/ThresholdInformation');
    expect(t.json).toEqual({
      externalRequestThreshold: 5,
      requestThresholdTimeframe: 60,
      currentTimeframeRequestCount: 1,
    });
    for (let i = 0; i < 4; i++) expect((await api.query(ALL)).status).toBe(200);
    const over = await api.query(ALL);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect(over.json.errors[0]).toMatch(/threshold of 5 requests per hour/);
    // The zone lookup and the console do not count.
    expect((await api.call('GET', '/zoneInformation?user=x', undefined, {})).status).toBe(200);
    expect(await api.console('POST', '/threshold', { used: 0 })).toEqual({ limit: 5, used: 0 });
    expect((await api.query(ALL)).status).toBe(200);
  });

  it('answers 429 to a fourth request in flight on one endpoint for one integration code', async () => {
    await start({ faults: { latencyMs: 150 } });
    const calls = Array.from({ length: 4 }, () => api.query(ALL));
    const statuses = (await Promise.all(calls)).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('applies the fault switches set at /__sandbox/faults', async () => {
    await start();
    expect(await api.console('POST', '/faults', { throttleRate: 1, retryAfterSeconds: 7 })).toMatchObject({
      throttleRate: 1,
      retryAfterSeconds: 7,
    });
    const r = await api.query(ALL);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    await api.console('POST', '/faults', { throttleRate: 0, errorRate: 1 });
    const e = await api.query(ALL);
    expect([500, 503]).toContain(e.status);
    expect(e.json.errors).toBeUndefined();
    const bad = await api.call(
      'POST',
      '/__sandbox/faults',
      { errorRate: 2 },
      { 'x-roster-sandbox-token': sim.consoleToken },
    );
    expect(bad.status).toBe(400);
  });
});

describe('Tickets: what a security level lets an API user read', () => {
  beforeEach(() => start());

  /** Headers of a new API user whose level (a copy of the API-only base) has these ticket rights. */
  async function userWithTickets(tickets: unknown, email = 'alerts@example.com') {
    const name = `Level ${email}`;
    await api.console('POST', '/security-levels', {
      name,
      copiedFrom: "API User (system) Can't Read Costs (API-only)",
      permissions: { 'Service Desk › Tickets': tickets },
    });
    const u = await api.apiUser(email, { securityLevel: name });
    return { ApiIntegrationCode: u.trackingIdentifier, UserName: u.username, Secret: u.secret };
  }
  const ONE = { MaxRecords: 1, filter: [{ op: 'gt', field: 'id', value: 0 }] };

  it('answers an empty page, count and read to a level that can view tickets (the sandbox has none)', async () => {
    const h = await userWithTickets(['View']);
    const q = await api.call('POST', '/Tickets/query', ONE, h);
    expect(q.status).toBe(200);
    expect(q.json).toEqual({
      items: [],
      pageDetails: { count: 0, requestCount: 1, prevPageUrl: null, nextPageUrl: null },
    });
    const search = encodeURIComponent(JSON.stringify(ONE));
    expect((await api.call('GET', `/Tickets/query?search=${search}`, undefined, h)).status).toBe(200);
    expect((await api.call('POST', '/Tickets/query/count', ONE, h)).json).toEqual({ queryCount: 0 });
    expect((await api.call('GET', '/Tickets/1', undefined, h)).json).toEqual({ item: null });
  });

  it('refuses (403) an API user whose level grants None or rights without View', async () => {
    for (const [tickets, email] of [
      ['None', 'a@example.com'],
      [['Add', 'Edit'], 'b@example.com'],
    ] as const) {
      const h = await userWithTickets(tickets, email);
      const q = await api.call('POST', '/Tickets/query', ONE, h);
      expect(q.status).toBe(403);
      expect(q.json.errors[0]).toMatch(/does not have permission to query the Ticket entity/);
      expect((await api.call('GET', '/Tickets/1', undefined, h)).status).toBe(403);
      // Resources stay readable: signing in is not a ticket permission.
      expect((await api.call('POST', '/Resources/query', ALL, h)).status).toBe(200);
    }
    expect(
      (await api.call('POST', '/Tickets/query', ONE, await userWithTickets('Mine', 'c@example.com'))).status,
    ).toBe(200);
  });

  it('does not restrict callers that are not API users of the database, and validates ticket queries', async () => {
    expect((await api.call('POST', '/Tickets/query', ONE)).status).toBe(200);
    const bad = await api.call('POST', '/Tickets/query', {
      filter: [{ op: 'eq', field: 'nickname', value: 1 }],
    });
    expect(bad.status).toBe(500);
    expect(bad.json).toEqual({ errors: ['Unable to find nickname in the Ticket entity.'] });
    expect((await api.call('POST', '/Tickets/query', { MaxRecords: 501, filter: ONE.filter })).status).toBe(
      500,
    );
    expect((await api.call('GET', '/Tickets')).status).toBe(405);
    expect((await api.call('GET', '/Tickets/entityInformation/nothing')).status).toBe(404);
    expect((await api.call('POST', '/Companies/query', ONE)).status).toBe(404);
  });
});

describe('the admin console (the Autotask UI)', () => {
  beforeEach(() => start());

  it('copies a security level: the copy inherits the base permissions and API-only flag', async () => {
    const made = await api.console('POST', '/security-levels', {
      name: 'Alerts API',
      copiedFrom: "API User (system) Can't Read Costs (API-only)",
      permissions: { 'Service Desk › Tickets': ['View', 'Add', 'Edit'] },
    });
    expect(made).toMatchObject({
      name: 'Alerts API',
      copiedFrom: "API User (system) Can't Read Costs (API-only)",
      apiOnly: true,
      system: false,
      active: true,
    });
    expect(made.permissions['Service Desk › Tickets']).toEqual(['View', 'Add', 'Edit']);
    expect(made.permissions['Finance › Costs']).toBe('None');
    const edited = await api.console('PATCH', '/security-levels/alerts%20api', {
      permissions: { 'CRM › Account & Contact Access': 'Mine' },
      active: false,
    });
    expect(edited).toMatchObject({
      active: false,
      permissions: { 'CRM › Account & Contact Access': 'Mine' },
    });
  });

  it('refuses what the UI refuses', async () => {
    const err = async (method: string, path: string, body: unknown) => {
      const r = await api.call(method, `/__sandbox${path}`, body, {
        'x-roster-sandbox-token': sim.consoleToken,
      });
      expect(r.status).toBeGreaterThanOrEqual(400);
      return r.json.errors.join(' ');
    };
    const base = "API User (system) Can't Read Costs (API-only)";
    expect(await err('POST', '/security-levels', { name: 'X' })).toMatch(/copiedFrom is required/);
    expect(await err('POST', '/security-levels', { name: base.toUpperCase(), copiedFrom: base })).toMatch(
      /already exists/,
    );
    expect(
      await err('POST', '/security-levels', { name: 'X', copiedFrom: base, permissions: { Tickets: 'All' } }),
    ).toMatch(/Section › Object/);
    expect(await err('PATCH', `/security-levels/${encodeURIComponent(base)}`, { active: false })).toMatch(
      /system security level/,
    );
    await api.console('POST', '/security-levels', { name: 'Admin copy', copiedFrom: 'Administrator' });
    const user = { firstName: 'A', lastName: 'B', email: 'a@b.io', integrationVendor: 'Zapier' };
    expect(await err('POST', '/api-users', { ...user, securityLevel: 'Admin copy' })).toMatch(
      /not an API-only/,
    );
    expect(
      await err('POST', '/api-users', { ...user, securityLevel: base, integrationVendor: 'Acme' }),
    ).toMatch(/not in the Integration Vendor list/);
    const made = await api.apiUser('a@b.io');
    expect(await err('PATCH', `/api-users/${made.id}`, { integrationVendor: 'Zapier' })).toMatch(
      /cannot be changed/,
    );
  });

  it('shows the secret once, stores only a hash, and a new secret replaces the old', async () => {
    const made = await api.apiUser('alerts@example.com');
    const state = await api.console('GET', '/state');
    const text = JSON.stringify(state);
    expect(text).not.toContain(made.secret);
    expect(text).not.toMatch(/secretHash|secretSalt|trackingHash|trackingSalt/);
    expect(text).not.toContain(made.trackingIdentifier);
    expect(state.resources.find((r: Json) => r.id === made.id)).toMatchObject({
      securityLevel: "API User (system) Can't Read Costs (API-only)",
      integrationVendor: 'Office Protect - Alert Integration',
      locked: false,
      active: true,
    });
    const again = await api.console('POST', `/api-users/${made.id}/secret`);
    expect(again.secret).not.toBe(made.secret);
    const h = { ApiIntegrationCode: made.trackingIdentifier, UserName: made.username };
    expect(
      (await api.call('GET', '/ThresholdInformation', undefined, { ...h, Secret: made.secret })).status,
    ).toBe(401);
    expect(
      (await api.call('GET', '/ThresholdInformation', undefined, { ...h, Secret: again.secret })).status,
    ).toBe(200);
  });
});
