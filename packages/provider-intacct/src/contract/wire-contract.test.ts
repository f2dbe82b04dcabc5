import type { ConnectRequest, Logger, RemoteObject } from '@roster/core';
import {
  consoleHeaders,
  contractChecker,
  type RecordingProxy,
  recordSimulator,
  type WireExchange,
} from '@roster/sim-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntacctApiError } from '../client/errors.js';
import { type KindSession, kindSession } from '../kinds/session.testing.js';
import { type ClientTuning, connectIntacct } from '../provider.js';
import { type Simulator, startSimulator } from '../sandbox/server.js';

/**
 * The Intacct client and the Intacct simulator, held to Sage's published OpenAPI document: every
 * request roster's client sends and every answer the simulator gives, recorded on the wire by a
 * proxy between them, must validate against `intacct.wire-contract.json`, and every operation of
 * the contract must have been exercised.
 */
const checker = contractChecker(new URL('./intacct.wire-contract.json', import.meta.url));

const quiet: Logger = { info() {}, warn() {}, debug() {} };
const fast: ClientTuning = { sleep: async () => {}, pageSize: 2 };

let sim: Simulator;
let proxy: RecordingProxy;
let conn: KindSession;

const request = (endpoint: string): ConnectRequest => ({
  name: 'books',
  config: { type: 'intacct', companyId: 'demo-co', endpoint },
  credentials: {},
  readOnly: false,
  log: quiet,
});

beforeAll(async () => {
  sim = await startSimulator({ companyId: 'demo-co' });
  proxy = await recordSimulator(sim);
  conn = kindSession(await connectIntacct(request(proxy.url), fast));
});
afterAll(async () => {
  await conn?.close();
  await proxy?.close();
});

const ref = (o: RemoteObject) => ({ ref: o.naturalKey, id: o.id });
let n = 0;
const key = () => `contract-${++n}`;

async function create(kind: string, attributes: Record<string, unknown>): Promise<RemoteObject> {
  return (await conn.create({ kind, address: `books/${kind}/${n}`, attributes, idempotencyKey: key() }))
    .object;
}
async function update(kind: string, prior: RemoteObject, changes: Record<string, unknown>) {
  return (
    await conn.update({
      kind,
      address: `books/${kind}/${prior.naturalKey}`,
      id: prior.id,
      prior,
      changes,
      idempotencyKey: key(),
    })
  ).object;
}
async function remove(kind: string, prior: RemoteObject) {
  await conn.delete({ kind, address: `books/${kind}/${prior.naturalKey}`, id: prior.id, prior });
}
const account = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  userName: `${id} integration`,
  email: `${id.toLowerCase()}@example.com`,
  contact: { firstName: 'Web', lastName: id, email: `${id.toLowerCase()}@example.com` },
  userType: 'business',
  adminPrivileges: 'off',
  status: 'active',
  ...extra,
});
/** Statuses of the refusals a call ends with (the client throws them as IntacctApiError). */
async function refusal(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    if (err instanceof IntacctApiError) return err.status;
    throw err;
  }
  throw new Error('expected Intacct to refuse');
}

describe('the Intacct client and simulator against the vendor OpenAPI contract', () => {
  it('exercise every operation of the contract, each exchange as the vendor documents it', async () => {
    // Refresh: every kind's bulk queries, the permission catalogue among them.
    for (const kind of ['ServiceAccount', 'SecurityLevel', 'Group']) await conn.list({ kind });

    const ap = await create('SecurityLevel', {
      name: 'AP Entry',
      description: 'Bills',
      permissions: {
        'accountsPayable/bills': ['list', 'readonly', 'add', 'modify'],
        'accountsPayable/vendors': ['list'],
      },
    });
    const gl = await create('SecurityLevel', {
      name: 'GL Read',
      permissions: { 'generalLedger/accounts': ['list'] },
    });
    const integrations = await create('Group', {
      name: 'Integrations',
      description: 'All',
      roles: [ref(gl)],
    });
    const spare = await create('Group', { name: 'Spare', description: 'Spare', roles: [] });
    const portal = await create(
      'ServiceAccount',
      account('WS_PORTAL', { roles: [ref(ap)], groups: [ref(integrations)] }),
    );

    // Updates: a role's permissions and description, a group's roles, a user's e-mail (contact
    // first), roles and groups (a membership added, one removed).
    await update('SecurityLevel', ap, {
      description: 'Bills and vendors',
      permissions: {
        'accountsPayable/bills': ['list', 'readonly'],
        'accountsPayable/vendors': ['list', 'readonly'],
      },
    });
    await update('Group', integrations, { roles: [ref(gl), ref(ap)] });
    const moved = await update('ServiceAccount', portal, {
      email: 'portal@example.com',
      contact: { firstName: 'Web', lastName: 'WS_PORTAL', email: 'portal@example.com' },
      roles: [ref(gl)],
      groups: [ref(spare)],
    });
    expect(moved.attributes.email).toBe('portal@example.com');
    for (const kind of ['ServiceAccount', 'SecurityLevel', 'Group']) {
      const listed = (await conn.list({ kind })).objects;
      for (const o of listed)
        expect((await conn.read({ kind, id: o.id })).object?.naturalKey).toBe(o.naturalKey);
    }
    // A user's contact read on its own (the client does so when a user's GET gives a bare reference).
    const contactKey = String(
      ((await conn.client.get('company-config/user', portal.id)) as { contact: { key: string } }).contact.key,
    );
    expect(await conn.client.get('company-config/contact', contactKey)).toMatchObject({ key: contactKey });

    // roster test: the user signs in with roster's client and queries what its role lets it list.
    const tested = await conn.test({
      kind: 'ServiceAccount',
      address: 'books/ServiceAccount/WS_PORTAL',
      id: portal.id,
      naturalKey: 'WS_PORTAL',
      attributes: moved.attributes,
      credentials: {},
    });
    expect(tested).toMatchObject({ authenticated: true, permission: { ok: true } });
    // A locked user is refused at the token endpoint.
    const locked = await create('ServiceAccount', account('WS_LOCKED', { status: 'locked' }));
    expect(
      await conn.test({
        kind: 'ServiceAccount',
        address: 'books/ServiceAccount/WS_LOCKED',
        id: locked.id,
        naturalKey: 'WS_LOCKED',
        attributes: locked.attributes,
        credentials: {},
      }),
    ).toMatchObject({ authenticated: false });

    // Refusals in Intacct's error envelope: 404, 409, 422, 400.
    expect((await conn.read({ kind: 'SecurityLevel', id: '999999' })).object).toBeUndefined();
    expect(
      await refusal(
        conn.client.create(
          'company-config/user-group',
          { id: 'Integrations', description: 'again' },
          { idempotencyKey: key() },
        ),
      ),
    ).toBe(409);
    expect(
      await refusal(
        conn.client.create(
          'company-config/role',
          {
            id: 'Bad',
            rolePermissionAssignments: [{ permission: { key: '999999' }, accessRights: ['list'] }],
          },
          { idempotencyKey: key() },
        ),
      ),
    ).toBe(422);
    // A field the object does not have: 400 invalidRequest.
    expect(
      await refusal(conn.client.queryPage({ object: 'company-config/role', fields: ['key', 'nope'] }, 1)),
    ).toBe(400);
    // A user who signed in cannot be deleted (422); one who never did can.
    const login = await fetch(`${sim.url}/__sandbox/users/WS_PORTAL/login`, {
      method: 'POST',
      headers: consoleHeaders(sim.consoleToken),
    });
    expect(login.status).toBe(200);
    expect(await refusal(remove('ServiceAccount', moved))).toBe(422);
    await remove('ServiceAccount', locked);
    expect(await refusal(conn.client.delete('company-config/user-group', '999999'))).toBe(404);

    // Removals: memberships go with the user's groups, then the group and role objects.
    await update('ServiceAccount', moved, { groups: [] });
    await remove('Group', spare);
    await remove('Group', integrations);
    await update('ServiceAccount', moved, { roles: [] });
    await remove('SecurityLevel', gl);
    await remove('SecurityLevel', ap);

    const exchanges = proxy.exchanges;
    expect(exchanges.length).toBeGreaterThan(40);
    expect(new Set(exchanges.map((x) => x.status))).toEqual(
      new Set([200, 201, 204, 400, 401, 404, 409, 422]),
    );
    expect(checker.check(exchanges)).toEqual([]);
    expect(checker.uncovered(exchanges)).toEqual([]);
  });

  it('names a departure: a role read whose permission is not one of the vendor enums fails the check', () => {
    const read = proxy.exchanges.find(
      (x) =>
        x.method === 'GET' &&
        x.url.includes('/company-config/role/') &&
        x.status === 200 &&
        x.responseBody.includes('"module"'),
    );
    expect(read).toBeDefined();
    const body = JSON.parse(read!.responseBody);
    expect(checker.check([read!])).toEqual([]);
    body['ia::result'].rolePermissionAssignments[0].permission.module = 'accounts-payable';
    body['ia::result'].rolePermissionAssignments[0].accessRights = ['view', 'approve'];
    const broken: WireExchange = { ...read!, responseBody: JSON.stringify(body) };
    const problems = checker.check([broken]);
    expect(problems.join('\n')).toContain('[role.get]: response 200');
    expect(problems.join('\n')).toContain('rolePermissionAssignments/0/permission/module');
    expect(problems.join('\n')).toContain('rolePermissionAssignments/0/accessRights/1');
    // And a request roster would send the old way.
    const create = proxy.exchanges.find(
      (x) => x.method === 'POST' && x.url.endsWith('/company-config/role') && x.status === 201,
    )!;
    const old = JSON.parse(create.requestBody);
    old.rolePermissionAssignments[0].accessRights = ['edit', 'approve'];
    expect(checker.check([{ ...create, requestBody: JSON.stringify(old) }]).join('\n')).toContain(
      'request body',
    );
  });
});
