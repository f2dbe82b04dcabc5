import type { RemoteObject, Secret, TestRequest } from '@roster/core';
import { consoleHeaders } from '@roster/sim-kit';
import { describe, expect, it } from 'vitest';
import { type ClientTuning, connectIntacct } from '../../provider.js';
import { type Json, RawApi } from '../../sandbox/api.testing.js';
import { companyRequest, ref, useCompany } from '../company.testing.js';
import { kindSession } from '../session.testing.js';

// `roster test` for Intacct web services users: the provider's Web Services client signs in as the
// user (client credentials, username user@company) against the simulator over HTTP, then lists
// one row of an object the user's roles grant List on.

const fast: ClientTuning = { sleep: async () => {} };
const DECLARED = { clientId: 'cid', clientSecret: 'csecret', userId: 'WS_ROSTER' };

/** A sandbox that declares the Web Services client and roster's own user. */
const company = useCompany(DECLARED);
const { role, createAccount: account } = company;

function testRequest(user: RemoteObject, credentials: Record<string, Secret> = {}): TestRequest {
  return {
    kind: 'ServiceAccount',
    address: `books/ServiceAccount/${user.naturalKey}`,
    id: user.id,
    naturalKey: user.naturalKey,
    attributes: user.attributes,
    credentials,
  };
}

const setStatus = (user: RemoteObject, status: string) =>
  company.update('ServiceAccount', user, { status }, `s-${status}`);

describe('roster test (ProviderConnection.test)', () => {
  it('passes: signs in as the user with the provider’s client, no credentials of its own, and lists what its role allows', async () => {
    const ap = await role('AP Sync', {
      'accountsPayable/bills': ['list', 'readonly'],
      'company/users': ['list'],
    });
    const user = await account('WS_AP', { roles: [ref(ap)] });
    expect(await company.conn.test(testRequest(user))).toEqual({
      authenticated: true,
      permission: {
        ok: true,
        checked: 'list 1 row of accounts-payable/bill (accountsPayable/bills) as WS_AP',
      },
    });
    // Signing in activated the user ID: Intacct no longer deletes it.
    const state = (await (
      await fetch(`${company.sim.url}/__sandbox/state`, { headers: consoleHeaders(company.sim.consoleToken) })
    ).json()) as Json;
    expect(state.tables.user.find((u: Json) => u.id === 'WS_AP').everActivated).toBe(true);
  });

  it('finds what the user may list through its groups’ roles', async () => {
    const gl = await role('GL Read', { 'generalLedger/accounts': ['list', 'readonly'] });
    const group = await company.group('Integrations', [ref(gl)]);
    const user = await account('WS_BI', { groups: [ref(group)] });
    expect(await company.conn.test(testRequest(user))).toEqual({
      authenticated: true,
      permission: {
        ok: true,
        checked: 'list 1 row of general-ledger/account (generalLedger/accounts) as WS_BI',
      },
    });
  });

  it('fails sign-in for a locked or an inactive user', async () => {
    const ap = await role('AP Sync', { 'accountsPayable/bills': ['list'] });
    let user = await account('WS_AP', { roles: [ref(ap)] });
    await setStatus(user, 'locked');
    user = (await company.conn.read({ kind: 'ServiceAccount', id: user.id })).object!;
    const locked = await company.conn.test(testRequest(user));
    expect(locked).toEqual({
      authenticated: false,
      message:
        "Intacct refused to sign WS_AP in with the provider's Web Services client: User WS_AP is locked and cannot sign in (401 invalid_grant); the user is locked in Intacct",
    });
    await setStatus(user, 'inactive');
    user = (await company.conn.read({ kind: 'ServiceAccount', id: user.id })).object!;
    const inactive = await company.conn.test(testRequest(user));
    expect(inactive.authenticated).toBe(false);
    expect(inactive.message).toMatch(/User WS_AP is inactive and cannot sign in/);
  });

  it('fails the permission check when no role grants List, and when the roles only grant other rights', async () => {
    const none = await account('WS_NONE');
    expect(await company.conn.test(testRequest(none))).toEqual({
      authenticated: true,
      permission: { ok: false, checked: 'find an object the roles of WS_NONE let it list' },
      message:
        "none of the roles of WS_NONE (its own or its groups') grants List on a permission that guards an object roster knows (see the provider's README): the integration can read nothing roster can try",
    });
    const viewOnly = await role('View only', { 'accountsPayable/vendors': ['readonly'] });
    const user = await account('WS_VIEW', { roles: [ref(viewOnly)] });
    expect((await company.conn.test(testRequest(user))).permission?.ok).toBe(false);
  });

  it('checks an administrator without roles by listing users', async () => {
    const admin = await account('WS_ADMIN', { adminPrivileges: 'limited' });
    expect(await company.conn.test(testRequest(admin))).toEqual({
      authenticated: true,
      permission: { ok: true, checked: 'list 1 row of company-config/user (admin privileges) as WS_ADMIN' },
    });
  });

  it('reports a refused list as a failed permission check, in Intacct’s words', async () => {
    // The roles changed behind roster's back between reading them and listing: the sandbox refuses.
    const ap = await role('AP Sync', { 'accountsPayable/bills': ['list'] });
    const user = await account('WS_AP', { roles: [ref(ap)] });
    const raw = new RawApi(company.sim.url, 'WS_ROSTER@demo-co', { id: 'cid', secret: 'csecret' });
    let changed = false;
    const hooked = kindSession(
      await connectIntacct(companyRequest(company.sim.url, DECLARED), {
        ...fast,
        fetch: (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
          const body = typeof init?.body === 'string' ? init.body : '';
          if (!changed && body.includes('"object":"accounts-payable/bill"')) {
            changed = true;
            await raw.ok('PATCH', `/objects/company-config/role/${ap.id}`, {
              rolePermissionAssignments: [{ permission: { key: '3295' }, accessRights: ['readonly'] }],
            });
          }
          return fetch(input, init);
        }) as typeof fetch,
      }),
    );
    try {
      expect(await hooked.test(testRequest(user))).toEqual({
        authenticated: true,
        permission: {
          ok: false,
          checked: 'list 1 row of accounts-payable/bill (accountsPayable/bills) as WS_AP',
        },
        message:
          'Intacct refused to let WS_AP list accounts-payable/bill: User WS_AP does not have permission to list accounts-payable/bill: none of its roles grants List on accountsPayable/bills or accountsPayable/approveBills (403 permissionDenied)',
      });
    } finally {
      await hooked.close();
    }
  });

  it('reports a user that no longer exists, and kinds that cannot sign in', async () => {
    const user = await account('WS_GONE');
    await company.remove('ServiceAccount', user);
    expect(await company.conn.test(testRequest(user))).toEqual({
      authenticated: false,
      message: `user WS_GONE (key ${user.id}) no longer exists in Intacct`,
    });
    // Only a web services user signs in: no other kind has a test.
    await expect(company.conn.test({ ...testRequest(user), kind: 'Group' })).rejects.toThrow(
      "Group: an operation declared api needs the kind's test",
    );
  });

  it('reports a wrong client secret, 5xx and an unreachable Intacct as not authenticated, without throwing', async () => {
    const user = await account('WS_AP');
    const wrong = kindSession(
      await connectIntacct(companyRequest(company.sim.url, { ...DECLARED, clientSecret: 'nope' }), fast),
    );
    try {
      const r = await wrong.test(testRequest(user));
      expect(r.authenticated).toBe(false);
      expect(r.message).toMatch(
        /^could not look up user WS_AP: .*The client ID or client secret is not valid \(401 invalid_client\)$/,
      );
      expect(r.message).not.toContain('nope');
      expect(r.message).not.toContain('csecret');
    } finally {
      await wrong.close();
    }
    company.sim.faults.set({ errorRate: 1 });
    const failing = await company.conn.test(testRequest(user));
    expect(failing.authenticated).toBe(false);
    expect(failing.message).toMatch(/^could not look up user WS_AP: Intacct failed/);
    company.sim.faults.set({ errorRate: 0 });
    await company.sim.close();
    const down = await company.conn.test(testRequest(user));
    expect(down.authenticated).toBe(false);
    expect(down.message).toMatch(/could not be reached/);
  });
});
