import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { consoleHeaders } from '@roster/sim-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Json, RawApi } from './api.testing.js';
import { type Simulator, startSimulator } from './server.js';

let sim: Simulator;
let api: RawApi;

beforeEach(async () => {
  sim = await startSimulator({ companyId: 'demo-co' });
  api = new RawApi(sim.url);
});
afterEach(async () => {
  await sim.close();
});

const USER = '/objects/company-config/user';

describe('OAuth2 token endpoint and bearer tokens', () => {
  it('issues a JWT-shaped bearer token with the recorded fields', async () => {
    const r = await api.signIn();
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 43200 });
    expect(String(r.json.access_token).split('.')).toHaveLength(3);
    expect(typeof r.json.refresh_token).toBe('string');
  });

  it('requires a bearer token on every API path, answering 401 with ia::error', async () => {
    const res = await fetch(`${sim.url}/ia/api/v1${USER}`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as Json;
    expect(body['ia::error'].code).toBe('invalidToken');
    const bad = await fetch(`${sim.url}/ia/api/v1${USER}`, {
      headers: { authorization: 'Bearer nope.nope.nope' },
    });
    expect(bad.status).toBe(401);
  });

  it('checks configured credentials and the user, and rejects anything else', async () => {
    const strict = await startSimulator({
      companyId: 'acme',
      credentials: { clientId: 'cid', clientSecret: 'csecret', userId: 'WS_ROSTER' },
    });
    try {
      const wrongSecret = await new RawApi(strict.url, 'WS_ROSTER@acme', { id: 'cid', secret: 'x' }).signIn();
      expect(wrongSecret.status).toBe(401);
      expect(wrongSecret.json.error).toBe('invalid_client');
      const wrongUser = await new RawApi(strict.url, 'OTHER@acme', { id: 'cid', secret: 'csecret' }).signIn();
      expect(wrongUser.status).toBe(401);
      const good = await new RawApi(strict.url, 'ws_roster@acme|east', {
        id: 'cid',
        secret: 'csecret',
      }).signIn();
      expect(good.status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('rotates refresh tokens and revokes every token on request', async () => {
    const first = await api.signIn();
    const res = await fetch(`${sim.url}/ia/api/v1/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: String(first.json.refresh_token),
      }),
    });
    expect(res.status).toBe(200);
    const again = await fetch(`${sim.url}/ia/api/v1/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: String(first.json.refresh_token),
      }),
    });
    expect(again.status).toBe(400);
    expect((await api.call('GET', USER)).status).toBe(200);
    await fetch(`${sim.url}/__sandbox/tokens/revoke`, {
      method: 'POST',
      headers: consoleHeaders(sim.consoleToken),
    });
    expect((await api.call('GET', USER)).status).toBe(401);
  });
});

describe('users', () => {
  it('creates a web services user (201, reference only) and reads it back by key', async () => {
    const r = await api.createUser('WS_ONE', { roles: [{ id: '::SYS::Employee' }] });
    expect(r.status).toBe(201);
    const ref = r.json['ia::result'];
    expect(ref).toEqual({ key: ref.key, id: 'WS_ONE', href: `/objects/company-config/user/${ref.key}` });
    expect(r.json['ia::meta']).toEqual({ totalCount: 1, totalSuccess: 1, totalError: 0 });
    const user = await api.ok('GET', `${USER}/${ref.key}`);
    expect(user).toMatchObject({
      id: 'WS_ONE',
      status: 'active',
      userType: 'business',
      adminPrivileges: 'off',
      webServices: { isEnabled: true, isRestricted: true },
      password: { neverExpires: true },
      contact: { firstName: 'Web', lastName: 'WS_ONE', email1: 'ws_one@example.com' },
      roles: [{ id: '::SYS::Employee' }],
      audit: { createdByUser: { id: 'Admin' }, modifiedByUser: { id: 'Admin' } },
    });
    expect(user.everActivated).toBeUndefined();
  });

  it('requires id, accountEmail and contact on create', async () => {
    const r = await api.call('POST', USER, { id: 'WS_X' });
    expect(r.status).toBe(400);
    expect(r.json['ia::result']['ia::error'].code).toBe('invalidRequest');
    expect((await api.call('POST', USER, { id: 'WS_X', accountEmail: 'x@example.com' })).status).toBe(400);
  });

  it('refuses status inactive on create (active or lockedOut only)', async () => {
    const r = await api.createUser('WS_LATER', { status: 'inactive' });
    expect(r.status).toBe(422);
    expect(r.json['ia::result']['ia::error'].message).toMatch(/active or lockedOut/);
    expect((await api.createUser('WS_LATER', { status: 'lockedOut' })).status).toBe(201);
    const key = await api.userKey('WS_LATER');
    expect((await api.call('PATCH', `${USER}/${key}`, { status: 'inactive' })).status).toBe(200);
  });

  it('refuses admin privileges on a non-business user, on create and on update', async () => {
    const r = await api.createUser('WS_EMP', { userType: 'employee', adminPrivileges: 'limited' });
    expect(r.status).toBe(422);
    expect(r.json['ia::result']['ia::error'].details[0].target).toBe('/adminPrivileges');
    expect((await api.createUser('WS_EMP', { userType: 'employee' })).status).toBe(201);
    const key = await api.userKey('WS_EMP');
    expect((await api.call('PATCH', `${USER}/${key}`, { adminPrivileges: 'full' })).status).toBe(422);
    expect(
      (await api.call('PATCH', `${USER}/${key}`, { userType: 'business', adminPrivileges: 'full' })).status,
    ).toBe(200);
  });

  it('keeps IDs unique, including against a standard user, regardless of case', async () => {
    expect((await api.createUser('WS_DUP')).status).toBe(201);
    const dup = await api.createUser('ws_dup');
    expect(dup.status).toBe(409);
    const std = await api.createUser('Admin');
    expect(std.status).toBe(409);
    expect(std.json['ia::result']['ia::error'].message).toMatch(/standard user/);
  });

  it('never changes an ID on PATCH', async () => {
    await api.createUser('WS_FIXED');
    const key = await api.userKey('WS_FIXED');
    const r = await api.call('PATCH', `${USER}/${key}`, { id: 'WS_OTHER' });
    expect(r.status).toBe(422);
    expect(r.json['ia::result']['ia::error'].message).toMatch(/cannot be changed/);
    expect(
      (await api.call('PATCH', `${USER}/${key}`, { id: 'WS_FIXED', userName: 'same id is fine' })).status,
    ).toBe(200);
  });

  it('deletes a never-activated user, refuses once the ID has signed in', async () => {
    await api.createUser('WS_FRESH');
    await api.createUser('WS_USED');
    expect((await api.call('DELETE', `${USER}/${await api.userKey('WS_FRESH')}`)).status).toBe(204);
    // The integration signs in once with the user's ID.
    expect((await new RawApi(sim.url, 'WS_USED@demo-co').signIn()).status).toBe(200);
    const r = await api.call('DELETE', `${USER}/${await api.userKey('WS_USED')}`);
    expect(r.status).toBe(422);
    expect(r.json['ia::result']['ia::error'].message).toMatch(/activated.*cannot be deleted.*inactive/);
  });

  it('marks a user activated through the admin console too', async () => {
    await api.createUser('WS_CONSOLE');
    const res = await fetch(`${sim.url}/__sandbox/users/WS_CONSOLE/login`, {
      method: 'POST',
      headers: consoleHeaders(sim.consoleToken),
    });
    expect(res.status).toBe(200);
    expect((await api.call('DELETE', `${USER}/${await api.userKey('WS_CONSOLE')}`)).status).toBe(422);
    expect(
      (
        await fetch(`${sim.url}/__sandbox/users/NOPE/login`, {
          method: 'POST',
          headers: consoleHeaders(sim.consoleToken),
        })
      ).status,
    ).toBe(404);
  });

  it("requires the contact's primary e-mail to change before the account e-mail", async () => {
    await api.createUser('WS_MAIL');
    const key = await api.userKey('WS_MAIL');
    const user = await api.ok('GET', `${USER}/${key}`);
    const tooEarly = await api.call('PATCH', `${USER}/${key}`, { accountEmail: 'new@example.com' });
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.json['ia::result']['ia::error'].message).toMatch(
      /update the contact's primary e-mail first/,
    );
    await api.ok('PATCH', `/objects/company-config/contact/${user.contact.key}`, {
      email1: 'new@example.com',
    });
    expect((await api.call('PATCH', `${USER}/${key}`, { accountEmail: 'new@example.com' })).status).toBe(200);
  });

  it('refuses a locked or inactive user signing in', async () => {
    await api.createUser('WS_LOCKED', { status: 'lockedOut' });
    expect((await new RawApi(sim.url, 'WS_LOCKED@demo-co').signIn()).status).toBe(401);
  });

  it('replaces the role set when roles[] is saved', async () => {
    await api.ok('POST', '/objects/company-config/role', { id: 'R1' });
    await api.ok('POST', '/objects/company-config/role', { id: 'R2' });
    await api.createUser('WS_ROLES', { roles: [{ id: 'R1' }] });
    const key = await api.userKey('WS_ROLES');
    await api.ok('PATCH', `${USER}/${key}`, { roles: [{ id: 'R2' }] });
    const maps = await api.query({
      object: 'company-config/role-user-map',
      fields: ['role.id'],
      filters: [{ $eq: { 'user.key': key } }],
    });
    expect(maps.json['ia::result']).toEqual([{ 'role.id': 'R2' }]);
    expect((await api.call('PATCH', `${USER}/${key}`, { roles: [{ id: 'NOPE' }] })).status).toBe(422);
  });

  it('records who changed an object in audit', async () => {
    await api.createUser('WS_AUDITOR');
    await api.createUser('WS_TARGET');
    const other = new RawApi(sim.url, 'WS_AUDITOR@demo-co');
    const key = await api.userKey('WS_TARGET');
    await other.ok('PATCH', `${USER}/${key}`, { userName: 'changed' });
    const user = await api.ok('GET', `${USER}/${key}`);
    expect(user.audit.modifiedByUser.id).toBe('WS_AUDITOR');
    expect(user.audit.createdByUser.id).toBe('Admin');
  });

  it('lists the collection as references with paging metadata, and serves the v1-beta2 prefix', async () => {
    const r = await api.call('GET', USER);
    expect(r.json['ia::result'][0]).toEqual({
      key: '1',
      id: 'Admin',
      href: '/objects/company-config/user/1',
    });
    expect(r.json['ia::meta']).toMatchObject({ totalCount: 1, start: 1, next: null, previous: null });
    const token = (await api.signIn()).json.access_token;
    const beta = await fetch(`${sim.url}/ia/api/v1-beta2${USER}/1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(beta.status).toBe(200);
  });

  it('rejects fields the object does not have', async () => {
    const r = await api.createUser('WS_BAD', { favouriteColour: 'blue' });
    expect(r.status).toBe(400);
    expect(r.json['ia::result']['ia::error'].details[0].target).toBe('/favouriteColour');
  });
});

describe('roles, groups and group members', () => {
  it('creates roles with permission assignments, and refuses unknown permissions and rights and system roles', async () => {
    const catalogue = await api.query({
      object: 'company-config/permission',
      fields: ['key', 'id', 'module', 'name', 'allowedAccessRights'],
      filters: [{ $eq: { name: 'bills' } }],
    });
    expect(catalogue.json['ia::result']).toEqual([
      {
        key: '3295',
        id: '3295',
        module: 'accountsPayable',
        name: 'bills',
        allowedAccessRights: ['list', 'readonly', 'add', 'modify', 'delete', 'post', 'void', 'reverse'],
      },
    ]);
    const ref = await api.ok('POST', '/objects/company-config/role', {
      id: 'AP Sync',
      description: 'bills',
      rolePermissionAssignments: [{ permission: { key: '3295' }, accessRights: ['list', 'readonly'] }],
    });
    const role = await api.ok('GET', `/objects/company-config/role/${ref.key}`);
    expect(role.rolePermissionAssignments).toMatchObject([
      {
        permission: {
          key: '3295',
          id: '3295',
          module: 'accountsPayable',
          name: 'bills',
          href: '/objects/company-config/permission/3295',
        },
        accessRights: ['list', 'readonly'],
      },
    ]);
    const unknown = await api.call('POST', '/objects/company-config/role', {
      id: 'Bad',
      rolePermissionAssignments: [{ permission: { key: '99999' }, accessRights: ['list'] }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json['ia::result']['ia::error'].details[0].target).toBe(
      '/rolePermissionAssignments/0/permission/key',
    );
    const notAllowed = await api.call('POST', '/objects/company-config/role', {
      id: 'Bad',
      rolePermissionAssignments: [{ permission: { key: '3295' }, accessRights: ['approvalLevel1'] }],
    });
    expect(notAllowed.status).toBe(422);
    const bad = await api.call('POST', '/objects/company-config/role', {
      id: 'Bad',
      rolePermissionAssignments: [{ permission: { key: '3295' }, accessRights: ['fly'] }],
    });
    expect(bad.status).toBe(400);
    expect((await api.call('POST', '/objects/company-config/role', { id: '::SYS::Mine' })).status).toBe(422);
    const sys = await api.query({
      object: 'company-config/role',
      fields: ['key'],
      filters: [{ $startsWith: { id: '::SYS::' } }],
    });
    const sysKey = sys.json['ia::result'][0].key;
    expect((await api.call('DELETE', `/objects/company-config/role/${sysKey}`)).status).toBe(422);
  });

  it('requires a description for a user group', async () => {
    expect((await api.call('POST', '/objects/company-config/user-group', { id: 'G' })).status).toBe(400);
    expect(
      (await api.call('POST', '/objects/company-config/user-group', { id: 'G', description: 'd' })).status,
    ).toBe(201);
  });

  it('adds and removes members with POST and DELETE; no PATCH; no duplicates', async () => {
    await api.ok('POST', '/objects/company-config/user-group', { id: 'Integrations', description: 'all' });
    await api.createUser('WS_M');
    const member = { userGroup: { id: 'Integrations' }, user: { id: 'WS_M' } };
    const r = await api.call('POST', '/objects/company-config/user-group-member', member);
    expect(r.status).toBe(201);
    const key = r.json['ia::result'].key;
    expect(r.json['ia::result'].id).toBe(key);
    expect((await api.call('POST', '/objects/company-config/user-group-member', member)).status).toBe(409);
    const patch = await api.call('PATCH', `/objects/company-config/user-group-member/${key}`, member);
    expect(patch.status).toBe(405);
    const got = await api.ok('GET', `/objects/company-config/user-group-member/${key}`);
    expect(got).toMatchObject({ userGroup: { id: 'Integrations' }, user: { id: 'WS_M' } });
    expect((await api.call('DELETE', `/objects/company-config/user-group-member/${key}`)).status).toBe(204);
    expect((await api.call('GET', `/objects/company-config/user-group-member/${key}`)).status).toBe(404);
  });

  it('does not let role-user-map be written', async () => {
    expect((await api.call('POST', '/objects/company-config/role-user-map', {})).status).toBe(405);
  });
});

/** Keys of the sandbox's permissions (numbered from 3295 in catalogue order). */
const PERMISSION_KEYS: Record<string, string> = {
  'accountsPayable/bills': '3295',
  'accountsPayable/vendors': '3296',
  'generalLedger/accounts': '3306',
};

describe('role permissions on queries (web services users)', () => {
  const ONE = (object: string) => ({ object, fields: ['key'], size: 1 });
  const role = (id: string, permission: string, accessRights: string[]) =>
    api.ok('POST', '/objects/company-config/role', {
      id,
      rolePermissionAssignments: [{ permission: { key: PERMISSION_KEYS[permission] }, accessRights }],
    });

  it('lets a web services user list only what its roles grant List on, directly or through a group', async () => {
    await role('AP', 'accountsPayable/bills', ['list', 'readonly']);
    await role('VIEW', 'accountsPayable/vendors', ['readonly']);
    await role('GL', 'generalLedger/accounts', ['list']);
    await api.createUser('WS_AP', { roles: [{ id: 'AP' }, { id: 'VIEW' }] });
    const as = new RawApi(sim.url, 'WS_AP@demo-co');
    const bills = await as.query(ONE('accounts-payable/bill'));
    expect(bills.status).toBe(200);
    // The sandbox holds no accounting data: a permitted query of another application is empty.
    expect(bills.json).toEqual({
      'ia::result': [],
      'ia::meta': { totalCount: 0, start: 1, pageSize: 1, next: null, previous: null },
    });
    const vendors = await as.query(ONE('accounts-payable/vendor'));
    expect(vendors.status).toBe(403);
    expect(vendors.json['ia::error']).toMatchObject({
      code: 'permissionDenied',
      message:
        'User WS_AP does not have permission to list accounts-payable/vendor: none of its roles grants List on accountsPayable/vendors',
    });
    expect((await as.query(ONE('company-config/user'))).status).toBe(403);
    expect((await as.query(ONE('user'))).status).toBe(403);
    expect((await as.query(ONE('general-ledger/account'))).status).toBe(403);

    await api.ok('POST', '/objects/company-config/user-group', {
      id: 'GLG',
      description: 'gl',
      roles: [{ id: 'GL' }],
    });
    const wsKey = await api.userKey('WS_AP');
    const groupKey = (
      await api.query({
        object: 'company-config/user-group',
        fields: ['key'],
        filters: [{ $eq: { id: 'GLG' } }],
      })
    ).json['ia::result'][0].key;
    await api.ok('POST', '/objects/company-config/user-group-member', {
      user: { key: wsKey },
      userGroup: { key: groupKey },
    });
    expect((await as.query(ONE('general-ledger/account'))).status).toBe(200);
  });

  it('does not limit administrators, standard users, or the sandbox’s own sign-in', async () => {
    await api.createUser('WS_ADMIN', { adminPrivileges: 'limited' });
    await api.createUser('STD', { webServices: { isRestricted: false }, password: { neverExpires: false } });
    for (const who of ['WS_ADMIN@demo-co', 'STD@demo-co', 'Admin@demo-co', 'SOMEONE@demo-co'])
      expect((await new RawApi(sim.url, who).query(ONE('company-config/user'))).status).toBe(200);
  });

  it('validates queries of objects it holds no data for, and still refuses unknown objects', async () => {
    const bad = await api.query({ object: 'accounts-payable/bill', fields: ['key', 'totalDue'] });
    expect(bad.status).toBe(400);
    expect(bad.json['ia::result']['ia::error'].details[0].target).toBe('/totalDue');
    expect((await api.query({ object: 'accounts-payable/bill', fields: ['key'], size: 4001 })).status).toBe(
      400,
    );
    expect((await api.query({ object: 'company-config/nothing', fields: ['key'] })).status).toBe(400);
    expect((await api.query({ object: 'nothing', fields: ['key'] })).status).toBe(400);
  });

  it('with declared credentials, signs in the company’s own users as well as the declared one', async () => {
    const strict = await startSimulator({
      companyId: 'acme',
      credentials: { clientId: 'cid', clientSecret: 'csecret', userId: 'WS_ROSTER' },
    });
    try {
      const client = { id: 'cid', secret: 'csecret' };
      const roster = new RawApi(strict.url, 'WS_ROSTER@acme', client);
      expect((await roster.createUser('WS_SYNC')).status).toBe(201);
      expect((await new RawApi(strict.url, 'ws_sync@acme', client).signIn()).status).toBe(200);
      expect((await new RawApi(strict.url, 'WS_SYNC@acme', { id: 'cid', secret: 'x' }).signIn()).status).toBe(
        401,
      );
      expect((await new RawApi(strict.url, 'WS_SYNC@other', client).signIn()).status).toBe(401);
      expect((await new RawApi(strict.url, 'WS_NOBODY@acme', client).signIn()).status).toBe(401);
    } finally {
      await strict.close();
    }
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for the same request and refuses another request with the same key', async () => {
    const h = { 'idempotency-key': 'k-1' };
    const first = await api.createUser('WS_IDEM', {}, h);
    const again = await api.createUser('WS_IDEM', {}, h);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await api.createUser('WS_IDEM2', {}, h);
    expect(other.status).toBe(409);
    const users = await api.query({
      object: 'company-config/user',
      fields: ['id'],
      filters: [{ $startsWith: { id: 'WS_IDEM' } }],
    });
    expect(users.json['ia::result']).toEqual([{ id: 'WS_IDEM' }]);
  });
});

describe('fault switches and the admin console', () => {
  it('throttles with 429, Retry-After and X-IA retry headers', async () => {
    await api.signIn();
    await fetch(`${sim.url}/__sandbox/faults`, {
      method: 'POST',
      headers: consoleHeaders(sim.consoleToken),
      body: JSON.stringify({ throttleRate: 1, retryAfterSeconds: 2 }),
    });
    const r = await api.call('GET', USER);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('2');
    expect(r.headers.get('x-ia-throttle-limit-retryafter')).toBe('2');
    expect(r.json['ia::error'].code).toBe('GW-0010');
  });

  it('answers 5xx with ia::error at the error rate', async () => {
    await api.signIn();
    sim.faults.set({ errorRate: 1 });
    const r = await api.call('GET', USER);
    expect([500, 503]).toContain(r.status);
    expect(r.json['ia::result']['ia::error'].message).toBeTruthy();
  });

  it('drops connections at the drop rate', async () => {
    await api.signIn();
    sim.faults.set({ dropRate: 1 });
    await expect(api.call('GET', USER)).rejects.toThrow();
    sim.faults.set({ dropRate: 0 });
    expect((await api.call('GET', USER)).status).toBe(200);
  });

  it('refuses bad switch values', async () => {
    const r = await fetch(`${sim.url}/__sandbox/faults`, {
      method: 'POST',
      headers: consoleHeaders(sim.consoleToken),
      body: JSON.stringify({ errorRate: 2 }),
    });
    expect(r.status).toBe(400);
  });

  it('seeds many objects at once and dumps the state', async () => {
    const res = await fetch(`${sim.url}/__sandbox/seed`, {
      method: 'POST',
      headers: consoleHeaders(sim.consoleToken),
      body: JSON.stringify({ users: 30, roles: 3, groups: 2, prefix: 'BULK' }),
    });
    expect(await res.json()).toEqual({ users: 30, roles: 3, groups: 2 });
    const state = (await (
      await fetch(`${sim.url}/__sandbox/state`, { headers: consoleHeaders(sim.consoleToken) })
    ).json()) as Json;
    expect(state.counts.user).toBe(31);
    expect(state.counts['user-group-member']).toBe(30);
    expect(state.tables.user[0].id).toBe('Admin');
  });
});

describe('two simulators on one sandbox directory', () => {
  it('lose no write when both serve requests at once (embedded sandbox and sandbox serve)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'intacct-shared-'));
    const one = await startSimulator({ dir, companyId: 'demo-co' });
    const two = await startSimulator({ dir, companyId: 'demo-co' });
    try {
      const a = new RawApi(one.url);
      const b = new RawApi(two.url);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => [
          a.createUser(`WS_ONE_${i}`),
          b.createUser(`WS_TWO_${i}`),
        ]).flat(),
      );
      expect(results.map((r) => r.status).every((s) => s === 201)).toBe(true);
      expect(new Set(results.map((r) => r.json['ia::result'].key)).size).toBe(40);
      // Each sees the other's users, and a duplicate across them is still refused.
      const seen = await b.query({
        object: 'company-config/user',
        fields: ['id'],
        filters: [{ $startsWith: { id: 'WS_' } }],
      });
      expect(seen.json['ia::meta'].totalCount).toBe(40);
      expect((await b.createUser('WS_ONE_3')).status).toBe(409);
    } finally {
      await one.close();
      await two.close();
    }
    const three = await startSimulator({ dir, companyId: 'demo-co' });
    try {
      const all = await new RawApi(three.url).query({
        object: 'company-config/user',
        fields: ['id'],
        size: 100,
      });
      expect(all.json['ia::meta'].totalCount).toBe(41);
    } finally {
      await three.close();
    }
  });
});
