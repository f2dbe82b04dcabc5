import { Secret, type TestRequest } from '@roster/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientTuning } from '../../client/client.js';
import { clearZoneCache } from '../../client/client.js';
import { connectRequest } from '../../connect.testing.js';
import type { AutotaskConnection } from '../../connection.js';
import { connectAutotask } from '../../provider.js';
import { type Json, RawApi } from '../../sandbox/api.testing.js';
import { type Simulator, startSimulator } from '../../sandbox/server.js';
import { signInAsApiUser } from './sign-in.js';

// `roster test` for Autotask API users: sign in with the API user's own key and secret against the
// simulator over HTTP, then query Tickets as the API user.

const fast: ClientTuning = { sleep: async () => {} };
const BASE = "API User (system) Can't Read Costs (API-only)";
const CHECKED = 'query Tickets (MaxRecords 1) as the API user';

let sim: Simulator;
let conn: AutotaskConnection;
let api: RawApi;

beforeEach(async () => {
  clearZoneCache();
  sim = await startSimulator();
  conn = await connectAutotask(connectRequest({ endpoint: sim.url }), fast);
  api = new RawApi(sim.url, undefined, sim.consoleToken);
});
afterEach(async () => {
  await conn.close();
  await sim.close();
});

/** A security level copied from the recommended base, with these permissions on top. */
async function level(name: string, permissions: Record<string, unknown>): Promise<Json> {
  return api.console('POST', '/security-levels', { name, copiedFrom: BASE, permissions });
}

/** An API user made in the console ("UI"), with the level given; its secret is shown once. */
async function apiUser(email: string, levelName: string, extra: Record<string, unknown> = {}): Promise<Json> {
  return api.console('POST', '/api-users', {
    firstName: 'Alerts',
    lastName: 'API',
    email,
    securityLevel: levelName,
    integrationVendor: 'Office Protect - Alert Integration',
    ...extra,
  });
}

function testRequest(user: Json, credentials: Record<string, Secret>): TestRequest {
  return {
    kind: 'ServiceAccount',
    address: 'autotask-prod/ServiceAccount/office-protect',
    id: String(user.id),
    naturalKey: user.email,
    attributes: { email: user.email, active: true },
    credentials,
  };
}

/** `roster test` on this connection: the kind's `test`, with the connection in its request. */
const signIn = (connection: AutotaskConnection, req: TestRequest) => signInAsApiUser({ ...req, connection });

const secretOf = (user: Json) => new Secret(user.secret, 'file:secrets/office-protect.secret');
/** The API user's own credentials: its secret and its vendor's tracking identifier. */
const own = (user: Json) => ({
  secret: secretOf(user),
  integrationCode: new Secret(user.trackingIdentifier, 'file:secrets/office-protect.tracking-id'),
});

describe('roster test (ProviderConnection.test)', () => {
  it('passes when the API user signs in with its own secret and its level lets it view tickets', async () => {
    await level('Alerts (API)', { 'Service Desk › Tickets': ['View', 'Add', 'Edit'] });
    const user = await apiUser('alerts@example.com', 'Alerts (API)');
    const r = await signIn(conn, testRequest(user, own(user)));
    expect(r).toEqual({ authenticated: true, permission: { ok: true, checked: CHECKED } });
    // Once roster's own client has read the threshold: one read as roster, two as the API user.
    const before = sim.threshold.get().used;
    await signIn(conn, testRequest(user, own(user)));
    expect(sim.threshold.get().used - before).toBe(3);
  });

  it('fails sign-in with a wrong secret, without printing either secret', async () => {
    await level('Alerts (API)', { 'Service Desk › Tickets': 'All' });
    const user = await apiUser('alerts@example.com', 'Alerts (API)');
    const r = await signIn(
      conn,
      testRequest(user, { secret: new Secret('not-the-secret', 'env:ALERTS_SECRET') }),
    );
    expect(r.authenticated).toBe(false);
    expect(r.permission).toBeUndefined();
    expect(r.message).toMatch(
      /refused the API user's key and secret: .*the secret does not match.*\(HTTP 401\)/,
    );
    expect(r.message).not.toContain('not-the-secret');
    expect(r.message).not.toContain(user.secret);
    expect(r.message).not.toContain(user.username);
  });

  it('fails sign-in for an inactive or a locked API user, even with the right secret', async () => {
    await level('Alerts (API)', { 'Service Desk › Tickets': 'All' });
    const user = await apiUser('alerts@example.com', 'Alerts (API)');
    await api.console('PATCH', `/api-users/${user.id}`, { active: false });
    const inactive = await signIn(conn, testRequest(user, own(user)));
    expect(inactive.authenticated).toBe(false);
    expect(inactive.message).toMatch(/the API user is inactive/);

    await api.console('PATCH', `/api-users/${user.id}`, { active: true, locked: true });
    const locked = await signIn(conn, testRequest(user, own(user)));
    expect(locked.authenticated).toBe(false);
    expect(locked.message).toMatch(/the API user is locked/);
  });

  it('fails a regenerated secret: the old one stops working', async () => {
    await level('Alerts (API)', { 'Service Desk › Tickets': 'All' });
    const user = await apiUser('alerts@example.com', 'Alerts (API)');
    await api.console('POST', `/api-users/${user.id}/secret`);
    const r = await signIn(conn, testRequest(user, own(user)));
    expect(r.authenticated).toBe(false);
  });

  it('reports missing credentials without calling Autotask', async () => {
    await level('Alerts (API)', { 'Service Desk › Tickets': 'All' });
    const user = await apiUser('alerts@example.com', 'Alerts (API)');
    const before = sim.threshold.get().used;
    expect(await signIn(conn, testRequest(user, {}))).toEqual({
      authenticated: false,
      message: 'no credentials: the manifest names no credentials.secret to sign in with',
    });
    expect(
      await signIn(conn, testRequest(user, { secret: Secret.pending('file:secrets/office-protect.secret') })),
    ).toEqual({
      authenticated: false,
      message: 'no credentials stored at file:secrets/office-protect.secret',
    });
    expect(sim.threshold.get().used).toBe(before);
  });

  it('signs in but fails the permission check when the level grants no View on Service Desk › Tickets', async () => {
    await level('No tickets (API)', { 'Service Desk › Tickets': 'None' });
    const user = await apiUser('alerts@example.com', 'No tickets (API)');
    const r = await signIn(conn, testRequest(user, own(user)));
    expect(r.authenticated).toBe(true);
    expect(r.permission).toEqual({ ok: false, checked: CHECKED });
    expect(r.message).toMatch(
      /refused to let the API user query Tickets: .*No tickets \(API\).*\(HTTP 403\)/,
    );
    expect(r.message).toContain('Service Desk › Tickets with View');

    // Rights without View are no better; Mine is enough.
    await api.console('PATCH', '/security-levels/No tickets (API)', {
      permissions: { 'Service Desk › Tickets': ['Add', 'Edit'] },
    });
    expect((await signIn(conn, testRequest(user, own(user)))).permission?.ok).toBe(false);
    await api.console('PATCH', '/security-levels/No tickets (API)', {
      permissions: { 'Service Desk › Tickets': 'Mine' },
    });
    expect((await signIn(conn, testRequest(user, own(user)))).permission?.ok).toBe(true);
  });

  it('reports an API user that no longer exists, and a kind that cannot sign in', async () => {
    const gone = await signIn(
      conn,
      testRequest({ id: 99999999, email: 'gone@example.com' }, { secret: new Secret('s', 'env:S') }),
    );
    expect(gone).toEqual({
      authenticated: false,
      message: 'resource 99999999 (gone@example.com) no longer exists in Autotask',
    });
    const level = await signIn(conn, { ...testRequest({ id: 1, email: 'x' }, {}), kind: 'SecurityLevel' });
    expect(level.authenticated).toBe(false);
  });

  it('reports an unreachable or failing Autotask as not authenticated, without throwing', async () => {
    await level('Alerts (API)', { 'Service Desk › Tickets': 'All' });
    const user = await apiUser('alerts@example.com', 'Alerts (API)');
    sim.faults.set({ errorRate: 1 });
    const failing = await signIn(conn, testRequest(user, own(user)));
    expect(failing.authenticated).toBe(false);
    expect(failing.message).toMatch(
      /^could not look up the API user: Autotask (failed|refused) to read Resources/,
    );
    expect(failing.message).not.toContain(user.secret);
    sim.faults.set({ errorRate: 0 });
    await sim.close();
    const down = await signIn(conn, testRequest(user, own(user)));
    expect(down.authenticated).toBe(false);
    expect(down.message).toMatch(/could not be reached/);
  });

  it('with declared credentials, the API user signs in with its own tracking identifier, not the provider’s', async () => {
    const declared = { username: 'roster@example.com', secret: 'roster-secret', integrationCode: 'CODE' };
    const locked = await startSimulator({ credentials: declared });
    const c = await connectAutotask(
      connectRequest(
        { endpoint: locked.url },
        {
          credentials: {
            username: new Secret(declared.username, 'env:U'),
            secret: new Secret(declared.secret, 'env:S'),
            integrationCode: new Secret(declared.integrationCode, 'env:C'),
          },
        },
      ),
      fast,
    );
    try {
      const raw = new RawApi(locked.url, undefined, locked.consoleToken);
      await raw.console('POST', '/security-levels', {
        name: 'Alerts (API)',
        copiedFrom: BASE,
        permissions: { 'Service Desk › Tickets': 'All' },
      });
      const user = await raw.console('POST', '/api-users', {
        firstName: 'Alerts',
        lastName: 'API',
        email: 'alerts@example.com',
        securityLevel: 'Alerts (API)',
        integrationVendor: 'Datto RMM',
      });
      expect(await signIn(c, testRequest(user, own(user)))).toEqual({
        authenticated: true,
        permission: { ok: true, checked: CHECKED },
      });
      const wrong = await signIn(c, testRequest(user, { ...own(user), secret: new Secret('nope', 'env:X') }));
      expect(wrong.authenticated).toBe(false);
      // Without its own tracking identifier it signs in with the provider's, which Autotask refuses
      // for an API user of another vendor (500, not 401).
      const providers = await signIn(c, testRequest(user, { secret: secretOf(user) }));
      expect(providers.authenticated).toBe(false);
      expect(providers.message).toMatch(
        /IntegrationCode is invalid\. \(HTTP 500\); the API user's tracking identifier is not the provider's integrationCode: keep its own in credentials\.integrationCode/,
      );
    } finally {
      await c.close();
      await locked.close();
    }
  });
});
