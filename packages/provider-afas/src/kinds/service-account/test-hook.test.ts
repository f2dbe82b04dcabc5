import { Secret, type TestRequest } from '@roster/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientTuning } from '../../client/client.js';
import type { AfasConnection } from '../../connection.js';
import { RawApi } from '../../sandbox/api.testing.js';
import { connectTo, kindCalls } from '../../sandbox/sandbox.testing.js';
import { type Simulator, startSimulator } from '../../sandbox/server.js';
import { groupKind } from '../group/index.js';

// `roster test` for AFAS token users: sign in with the user's own token against the simulator
// over HTTP (MetaInfo), then read one row of the app connector's first GetConnector.

const fast: ClientTuning = { sleep: async () => {} };
const ORIGIN = 'file:secrets/ws.token';
const ROSTER_TOKEN = '<token><version>1</version><data>ROSTER</data></token>';

let sim: Simulator;
let conn: AfasConnection;
let calls: ReturnType<typeof kindCalls>;
let api: RawApi;

/** A sandbox that declares roster's own token: nothing else but issued user tokens passes. */
beforeEach(async () => {
  sim = await startSimulator({ token: ROSTER_TOKEN });
  ({ conn } = await connectTo(
    sim,
    { credentials: { token: new Secret(ROSTER_TOKEN, 'env:AFAS_TOKEN') } },
    fast,
  ));
  calls = kindCalls(conn);
  api = new RawApi(sim.url, ROSTER_TOKEN, sim.consoleToken);
});
afterEach(async () => {
  await conn.close();
  await sim.close();
});

function testRequest(userId: string, credentials: Record<string, Secret>, connector?: string): TestRequest {
  return {
    kind: 'ServiceAccount',
    address: `afas/ServiceAccount/${userId.toLowerCase()}`,
    id: userId,
    naturalKey: userId,
    attributes: {
      userId,
      email: `${userId.toLowerCase()}@example.com`,
      ...(connector ? { connector: { ref: connector } } : {}),
    },
    credentials,
  };
}

const tokenSecret = (token: string) => new Secret(token, ORIGIN);

describe('roster test (ServiceAccount api.test)', () => {
  it('passes with the user’s own token: MetaInfo names the user, and its first GetConnector reads', async () => {
    const { token } = await api.tokenUser('WS', { getConnectors: ['Profit_Users', 'Profit_UserGroups'] });
    const r = await calls.test(testRequest('WS', { token: tokenSecret(token) }, 'App for WS'));
    expect(r).toEqual({
      authenticated: true,
      permission: {
        ok: true,
        checked: "read 1 row of GetConnector Profit_UserGroups of app connector 'App for WS'",
      },
    });
    // A token stored as its data part only works as well.
    const data = /<data>([^<]+)<\/data>/.exec(token)![1]!;
    expect((await calls.test(testRequest('WS', { token: tokenSecret(data) }))).authenticated).toBe(true);
  });

  it('fails a wrong, a deleted or a malformed token, never printing it', async () => {
    const { token, appConnector, tokenId } = await api.tokenUser('WS');
    const wrong = await calls.test(
      testRequest('WS', { token: tokenSecret('<token><version>1</version><data>NOPE</data></token>') }),
    );
    expect(wrong.authenticated).toBe(false);
    expect(wrong.message).toMatch(/^AFAS Profit refused the token of WS: the token was refused.*\(401\)$/);
    expect(wrong.message).not.toContain('NOPE');

    const malformed = await calls.test(testRequest('WS', { token: tokenSecret('has white space') }));
    expect(malformed).toEqual({
      authenticated: false,
      message: `what is stored at ${ORIGIN} is not usable: the token is empty or contains white space: expected the XML token AFAS showed`,
    });

    await api.ok('DELETE', `/app-connectors/${appConnector}/tokens/${tokenId}`);
    const deleted = await calls.test(testRequest('WS', { token: tokenSecret(token) }));
    expect(deleted.authenticated).toBe(false);
    expect(deleted.message).not.toContain(token);
  });

  it('fails a blocked user, a user outside the app connector’s group, and a blocked app connector', async () => {
    const { token, appConnector } = await api.tokenUser('WS');
    await api.knUser('PUT', 'WS', { MtCd: '2' });
    const blocked = await calls.test(testRequest('WS', { token: tokenSecret(token) }));
    expect(blocked.authenticated).toBe(false);
    expect(blocked.message).toMatch(/User WS is blocked \(401\)/);
    await api.knUser('PUT', 'WS', { MtCd: '6' });
    expect((await calls.test(testRequest('WS', { token: tokenSecret(token) }))).authenticated).toBe(true);

    await api.ok('DELETE', '/groups/INT-APP/members/WS');
    const outside = await calls.test(testRequest('WS', { token: tokenSecret(token) }));
    expect(outside.authenticated).toBe(false);
    expect(outside.message).toMatch(/not a member of user group INT-APP/);
    await api.ok('PUT', '/groups/INT-APP/members/WS');

    await api.ok('PATCH', `/app-connectors/${appConnector}`, { blocked: true });
    const closed = await calls.test(testRequest('WS', { token: tokenSecret(token) }));
    expect(closed.authenticated).toBe(false);
    expect(closed.message).toMatch(/App connector 'App for WS' is blocked/);
  });

  it('fails a token that signs in as someone else: another user, or roster’s own', async () => {
    const { token } = await api.tokenUser('OTHER');
    await api.user('WS');
    const other = await calls.test(testRequest('WS', { token: tokenSecret(token) }));
    expect(other).toEqual({
      authenticated: false,
      message: `the token stored at ${ORIGIN} belongs to user OTHER, not WS`,
    });
    const roster = await calls.test(testRequest('WS', { token: tokenSecret(ROSTER_TOKEN) }));
    expect(roster).toEqual({
      authenticated: false,
      message: `the token stored at ${ORIGIN} is not a user token of an app connector (AFAS names no user group for it)`,
    });
  });

  it('reports missing credentials without calling AFAS', async () => {
    const before = conn.client.stats().apiCalls;
    expect(await calls.test(testRequest('WS', {}))).toEqual({
      authenticated: false,
      message: 'no credentials: the manifest names no credentials.token to sign in with',
    });
    expect(await calls.test(testRequest('WS', { token: Secret.pending(ORIGIN) }))).toEqual({
      authenticated: false,
      message: `no credentials stored at ${ORIGIN}`,
    });
    expect(conn.client.stats().apiCalls).toBe(before);
  });

  it('fails the permission check when the app connector lists no GetConnectors, or is not the declared one', async () => {
    const { token } = await api.tokenUser('WS', { getConnectors: [] });
    const none = await calls.test(testRequest('WS', { token: tokenSecret(token) }));
    expect(none).toEqual({
      authenticated: true,
      permission: { ok: false, checked: "list the GetConnectors of app connector 'App for WS'" },
      message: "app connector 'App for WS' lists no GetConnectors: the user can read nothing",
    });
    const elsewhere = await calls.test(testRequest('WS', { token: tokenSecret(token) }, 'Payroll export'));
    expect(elsewhere.authenticated).toBe(true);
    expect(elsewhere.permission?.ok).toBe(false);
    expect(elsewhere.message).toBe(
      "the token is for app connector 'App for WS', but the manifest says 'Payroll export'",
    );
  });

  it('reports AFAS failing or unreachable as not authenticated, without throwing', async () => {
    const { token } = await api.tokenUser('WS');
    sim.faults.set({ errorRate: 1 });
    const failing = await calls.test(testRequest('WS', { token: tokenSecret(token) }));
    expect(failing.authenticated).toBe(false);
    expect(failing.message).toMatch(
      /^could not sign in with the token of WS: AFAS Profit failed to read MetaInfo/,
    );
    sim.faults.set({ errorRate: 0 });
    await sim.close();
    const down = await calls.test(testRequest('WS', { token: tokenSecret(token) }));
    expect(down.authenticated).toBe(false);
    expect(down.message).toMatch(/could not be reached/);
    expect(down.message).not.toContain(token);
  });

  it('refuses kinds that cannot sign in', async () => {
    // A user group has no sign-in of its own: core never asks it to test.
    expect(groupKind.api.test).toBeUndefined();
  });
});
