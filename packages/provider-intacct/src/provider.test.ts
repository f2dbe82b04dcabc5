import type { ConnectRequest, Logger, RemoteObject } from '@roster/core';
import { consoleHeaders } from '@roster/sim-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KindSession, kindSession } from './kinds/session.testing.js';
import provider, { type ClientTuning, connectIntacct } from './provider.js';
import { type Json, RawApi } from './sandbox/api.testing.js';
import { type Simulator, startSimulator } from './sandbox/server.js';

const quiet: Logger = { info() {}, warn() {}, debug() {} };
const fast: ClientTuning = { sleep: async () => {}, pageSize: 3 };

function request(config: Record<string, unknown>, extra: Partial<ConnectRequest> = {}): ConnectRequest {
  return {
    name: 'books',
    config: { type: 'intacct', companyId: 'demo-co', ...config },
    credentials: {},
    readOnly: false,
    log: quiet,
    ...extra,
  };
}

let sim: Simulator;
let conn: KindSession;
let api: RawApi;

beforeEach(async () => {
  sim = await startSimulator({ companyId: 'demo-co' });
  // A served sandbox on loopback, no credentials declared: the placeholder sign-in is accepted.
  conn = kindSession(await connectIntacct(request({ endpoint: sim.url }), fast));
  api = new RawApi(sim.url);
});
afterEach(async () => {
  await conn.close();
  await sim.close();
});

const byKey = (objects: RemoteObject[], key: string) => objects.find((o) => o.naturalKey === key);
const ref = (o: RemoteObject) => ({ ref: o.naturalKey, id: o.id });

async function role(name: string, permissions: Record<string, string[]> = {}) {
  return (
    await conn.create({
      kind: 'SecurityLevel',
      address: `books/SecurityLevel/${name}`,
      attributes: { name, permissions },
      idempotencyKey: `r-${name}`,
    })
  ).object;
}
async function group(name: string, roles: unknown[] = []) {
  return (
    await conn.create({
      kind: 'Group',
      address: `books/Group/${name}`,
      attributes: { name, description: `${name} group`, roles },
      idempotencyKey: `g-${name}`,
    })
  ).object;
}
function account(id: string, extra: Record<string, unknown> = {}) {
  const email = `${id.toLowerCase()}@example.com`;
  return {
    id,
    userName: `${id} integration`,
    email,
    contact: { firstName: 'Web', lastName: id, email },
    userType: 'business',
    adminPrivileges: 'off',
    status: 'active',
    ...extra,
  };
}
async function createAccount(id: string, extra: Record<string, unknown> = {}) {
  return (
    await conn.create({
      kind: 'ServiceAccount',
      address: `books/ServiceAccount/${id}`,
      attributes: account(id, extra),
      idempotencyKey: `u-${id}`,
    })
  ).object;
}
async function update(kind: string, prior: RemoteObject, changes: Record<string, unknown>, step = 'u') {
  return (
    await conn.update({
      kind,
      address: `books/${kind}/${prior.naturalKey}`,
      id: prior.id,
      prior,
      changes,
      idempotencyKey: `${step}-${prior.id}`,
    })
  ).object;
}

describe('provider object', () => {
  it('declares its type, kinds and rules', () => {
    expect(provider.type).toBe('intacct');
    expect(provider.displayName).toBe('Sage Intacct');
    expect(Object.keys(provider.kinds)).toEqual(['ServiceAccount', 'SecurityLevel', 'Group']);
    expect(provider.kinds.ServiceAccount.deleteMode).toBe('deactivate');
    expect(provider.kinds.ServiceAccount.attributes.status).toMatchObject({
      createValues: ['active', 'locked'],
      createAs: 'locked',
    });
    expect(provider.kinds.SecurityLevel.attributes.name).toMatchObject({ fixedAtCreation: true });
  });
});

describe('reading the company', () => {
  it('returns standard users as conflicts and system roles as unmanageable', async () => {
    const users = (await conn.list({ kind: 'ServiceAccount' })).objects;
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      naturalKey: 'Admin',
      conflict: 'ID Admin belongs to a standard (interactive) user; a web services user cannot reuse it',
      attributes: {
        id: 'Admin',
        userType: 'business',
        adminPrivileges: 'full',
        status: 'active',
        roles: [{ ref: '::SYS::Administrator' }],
      },
    });
    const roles = (await conn.list({ kind: 'SecurityLevel' })).objects;
    expect(roles.map((r) => [r.naturalKey, Boolean(r.conflict)])).toEqual([
      ['::SYS::Administrator', true],
      ['::SYS::Employee', true],
    ]);
    expect((await conn.list({ kind: 'Group' })).objects).toEqual([]);
  });

  it('marks a standard user holding an ID as a conflict', async () => {
    await api.ok('POST', '/objects/company-config/user', {
      id: 'JSMITH',
      accountEmail: 'j@example.com',
      contact: { id: 'Smith, J', firstName: 'J', lastName: 'Smith', email1: 'j@example.com' },
      webServices: { isRestricted: false },
    });
    const js = byKey((await conn.list({ kind: 'ServiceAccount' })).objects, 'JSMITH');
    expect(js?.conflict).toBe(
      'ID JSMITH belongs to a standard (interactive) user; a web services user cannot reuse it',
    );
  });

  it('reads one object by key, and nothing for an unknown key', async () => {
    const r = await role('Reader', { 'generalLedger/accounts': ['list', 'readonly'] });
    expect((await conn.read({ kind: 'SecurityLevel', id: r.id })).object).toEqual(r);
    expect((await conn.read({ kind: 'ServiceAccount', id: '999' })).object).toBeUndefined();
    await expect(conn.list({ kind: 'Connector' })).rejects.toThrow(/no kind Connector/);
  });
});

describe('SecurityLevel', () => {
  it('sends permissions by catalogue key and reads them back as <module>/<name>', async () => {
    const created = await role('AP Sync', {
      'accountsPayable/vendors': ['view', 'list'],
      'accountsPayable/bills': ['edit', 'list', 'add', 'readonly', 'delete', 'post'],
    });
    expect(created.attributes).toEqual({
      name: 'AP Sync',
      permissions: {
        'accountsPayable/bills': ['list', 'readonly', 'add', 'modify', 'delete', 'post'],
        'accountsPayable/vendors': ['list', 'readonly'],
      },
    });
    const wire = await api.ok('GET', `/objects/company-config/role/${created.id}`);
    expect(wire.rolePermissionAssignments.map((a: Json) => [a.permission, a.accessRights])).toEqual([
      [
        {
          key: '3295',
          id: '3295',
          module: 'accountsPayable',
          name: 'bills',
          href: '/objects/company-config/permission/3295',
        },
        ['list', 'readonly', 'add', 'modify', 'delete', 'post'],
      ],
      [
        {
          key: '3296',
          id: '3296',
          module: 'accountsPayable',
          name: 'vendors',
          href: '/objects/company-config/permission/3296',
        },
        ['list', 'readonly'],
      ],
    ]);
    expect(byKey((await conn.list({ kind: 'SecurityLevel' })).objects, 'AP Sync')).toEqual(created);
  });
});

describe('Group', () => {
  it('creates with roles (by key or by ID) and updates the role set', async () => {
    const a = await role('A');
    const b = await role('B');
    const g = await group('Integrations', [ref(a), { ref: 'B' }]);
    expect(g.attributes).toEqual({
      name: 'Integrations',
      description: 'Integrations group',
      roles: [{ ref: 'A' }, { ref: 'B' }],
    });
    const u = await update('Group', g, { roles: [ref(b)], description: 'All web services users' });
    expect(u.attributes).toEqual({
      name: 'Integrations',
      description: 'All web services users',
      roles: [{ ref: 'B' }],
    });
    expect((await conn.list({ kind: 'Group' })).objects).toEqual([u]);
  });
});

describe('ServiceAccount', () => {
  it('creates a web services user with contact, roles and groups, read back in spec shape', async () => {
    const r = await role('AP Sync');
    const g1 = await group('Integrations');
    const g2 = await group('Nightly');
    const created = await createAccount('WS_INVOICE_PORTAL', {
      roles: [ref(r)],
      groups: [ref(g2), { ref: 'Integrations' }],
    });
    expect(created.attributes).toEqual({
      id: 'WS_INVOICE_PORTAL',
      userName: 'WS_INVOICE_PORTAL integration',
      email: 'ws_invoice_portal@example.com',
      contact: { firstName: 'Web', lastName: 'WS_INVOICE_PORTAL', email: 'ws_invoice_portal@example.com' },
      userType: 'business',
      adminPrivileges: 'off',
      status: 'active',
      roles: [{ ref: 'AP Sync' }],
      groups: [{ ref: 'Integrations' }, { ref: 'Nightly' }],
    });
    expect(created.conflict).toBeUndefined();
    expect(created.deactivated).toBeUndefined();
    expect(created.modifiedBy).toBe('Admin');
    expect(created.modifiedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(byKey((await conn.list({ kind: 'ServiceAccount' })).objects, 'WS_INVOICE_PORTAL')).toEqual(
      created,
    );
    const wire = await api.ok('GET', `/objects/company-config/user/${created.id}`);
    expect(wire).toMatchObject({ webServices: { isRestricted: true }, password: { neverExpires: true } });
    expect(g1.id).toBeTruthy();
  });

  it('creates a locked user as lockedOut and reads it as locked', async () => {
    const c = await createAccount('WS_PAYROLL', { status: 'locked' });
    expect(c.attributes.status).toBe('locked');
    expect((await api.ok('GET', `/objects/company-config/user/${c.id}`)).status).toBe('lockedOut');
  });

  it('changes the contact e-mail before the account e-mail', async () => {
    const c = await createAccount('WS_M');
    const u = await update('ServiceAccount', c, {
      email: 'new-m@example.com',
      contact: { firstName: 'Web', lastName: 'WS_M', email: 'new-m@example.com' },
    });
    expect(u.attributes).toMatchObject({
      email: 'new-m@example.com',
      contact: { email: 'new-m@example.com' },
    });
  });

  it("explains Intacct's refusal when only the account e-mail changes", async () => {
    const c = await createAccount('WS_ONLY');
    await expect(update('ServiceAccount', c, { email: 'other@example.com' })).rejects.toThrow(
      /^Intacct refused to update user WS_ONLY: The account e-mail must match the primary e-mail of the user's contact .*update the contact's primary e-mail first \(422 operationFailed\)$/,
    );
  });

  it('replaces roles and adds and removes group memberships', async () => {
    const a = await role('A');
    const b = await role('B');
    const g1 = await group('G1');
    const g2 = await group('G2');
    const c = await createAccount('WS_RG', { roles: [ref(a)], groups: [ref(g1)] });
    const u = await update('ServiceAccount', c, {
      roles: [ref(b), ref(a)],
      groups: [ref(g2)],
      userName: 'renamed',
    });
    expect(u.attributes).toMatchObject({
      userName: 'renamed',
      roles: [{ ref: 'A' }, { ref: 'B' }],
      groups: [{ ref: 'G2' }],
    });
    const members = await api.query({ object: 'company-config/user-group-member', fields: ['userGroup.id'] });
    expect(members.json['ia::result']).toEqual([{ 'userGroup.id': 'G2' }]);
  });

  it('deactivates and reactivates through status', async () => {
    const c = await createAccount('WS_B');
    const off = await update('ServiceAccount', c, { status: 'inactive' }, 'deactivate');
    expect(off.deactivated).toBe(true);
    expect(off.attributes.status).toBe('inactive');
    const on = await update('ServiceAccount', off, { status: 'active' }, 'reactivate');
    expect(on.deactivated).toBeUndefined();
  });

  it('deletes a never-used user, and says why not once the ID was activated', async () => {
    const a = await createAccount('WS_A');
    const b = await createAccount('WS_B');
    await conn.delete({ kind: 'ServiceAccount', address: 'books/ServiceAccount/a', id: a.id, prior: a });
    await fetch(`${sim.url}/__sandbox/users/WS_B/login`, {
      method: 'POST',
      headers: consoleHeaders(sim.consoleToken),
    });
    await expect(
      conn.delete({ kind: 'ServiceAccount', address: 'books/ServiceAccount/b', id: b.id, prior: b }),
    ).rejects.toThrow(
      /^Intacct refused to delete user WS_B: User WS_B has been activated .* \(422 operationFailed\)$/,
    );
    expect((await conn.list({ kind: 'ServiceAccount' })).objects.map((o) => o.naturalKey)).toEqual([
      'Admin',
      'WS_B',
    ]);
  });

  it('refuses to create an ID a standard user has, in one line', async () => {
    await expect(createAccount('Admin')).rejects.toThrow(
      'Intacct refused to create user Admin: ID Admin belongs to a standard user; a web services user cannot reuse the ID of an existing user (409 conflict)',
    );
  });

  it('reuses the contact an earlier user of the same ID left behind', async () => {
    const first = await createAccount('WS_AGAIN');
    await conn.delete({ kind: 'ServiceAccount', address: 'x', id: first.id, prior: first });
    const again = (
      await conn.create({
        kind: 'ServiceAccount',
        address: 'x',
        attributes: account('WS_AGAIN', {
          email: 'again@example.com',
          contact: { firstName: 'Web', lastName: 'WS_AGAIN', email: 'again@example.com' },
        }),
        idempotencyKey: 'second-create',
      })
    ).object;
    expect(again.attributes).toMatchObject({
      email: 'again@example.com',
      contact: { email: 'again@example.com' },
    });
  });
});

describe('connect', () => {
  it('needs credentials for a real endpoint, all three of them', async () => {
    await expect(provider.connect(request({ endpoint: 'https://api.intacct.com' }))).rejects.toThrow(
      /provider books: endpoint https:\/\/api.intacct.com needs credentials \(clientId, clientSecret, userId\)/,
    );
    const partial = request({}, { credentials: { clientId: { reveal: () => 'x' } as never } });
    await expect(provider.connect(partial)).rejects.toThrow(
      'provider books: credentials need clientSecret, userId as well',
    );
    await expect(provider.connect(request({ endpoint: 'http://example.com' }))).rejects.toThrow(
      /must be sandbox, an https/,
    );
  });

  it('reaches only an address: a sandbox is started before, by the ./sandbox entry', async () => {
    await expect(provider.connect(request({ endpoint: 'sandbox' }))).rejects.toThrow(
      /endpoint sandbox reaches connect: start the sandbox first/,
    );
  });
});

describe('validate: permissions against the company catalogue', () => {
  const resource = (name: string, permissions: Record<string, unknown>) => ({
    address: `books/SecurityLevel/${name}`,
    kind: 'SecurityLevel',
    name,
    labels: {},
    spec: { name, permissions },
  });

  it('places unknown permissions and disallowed rights at their pointers, accepting the view/edit aliases', async () => {
    const good = resource('good', { 'accountsPayable/bills': ['list', 'view', 'edit'] });
    const bad = resource('bad', {
      'accountsPayable/bill': ['list'],
      'generalLedger/accounts': ['list', 'view', 'post'],
      'accounts-payable/vendor': ['list'],
    });
    const result = await conn.validate({ resources: [good, bad] });
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'intacct.unknown-permission',
        message:
          'accountsPayable/bill is not a permission of this Intacct company (company-config/permission); closest: accountsPayable/bills, accountsPayable/payBills, accountsPayable/apTerms',
        address: 'books/SecurityLevel/bad',
        path: '/permissions/accountsPayable~1bill',
      },
      {
        severity: 'error',
        code: 'intacct.access-right-not-allowed',
        message:
          'generalLedger/accounts does not allow post: its allowed access rights are list, readonly, add, modify, delete; closest: list, add, delete',
        address: 'books/SecurityLevel/bad',
        path: '/permissions/generalLedger~1accounts/2',
      },
    ]);
    // Validation reads; it never rewrites what it is given.
    expect(good.spec.permissions).toEqual({ 'accountsPayable/bills': ['list', 'view', 'edit'] });
  });

  it("the permissions attribute writes view/edit as Intacct's readonly/modify before the diff", () => {
    const normalize = provider.kinds.SecurityLevel!.attributes.permissions!.normalize!;
    const declared = {
      'accountsPayable/bills': ['list', 'view', 'edit'],
      'generalLedger/accounts': ['list'],
    };
    expect(normalize(declared)).toEqual({
      'accountsPayable/bills': ['list', 'readonly', 'modify'],
      'generalLedger/accounts': ['list'],
    });
    expect(declared['accountsPayable/bills']).toEqual(['list', 'view', 'edit']);
    for (const odd of [undefined, 'x', ['a'], { a: 'list' }]) expect(normalize(odd)).toEqual(odd);
  });
});
