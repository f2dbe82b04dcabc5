import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConnectRequest, Logger, ManualOperation, RemoteObject, SandboxConsole } from '@roster/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientTuning } from './client/client.js';
import { clearZoneCache } from './client/client.js';
import { connectRequest } from './connect.testing.js';
import type { AutotaskConnection } from './connection.js';
import { securityLevelKind } from './kinds/security-level/index.js';
import { serviceAccountKind } from './kinds/service-account/index.js';
import provider, { connectAutotask } from './provider.js';
import { type Json, RawApi } from './sandbox/api.testing.js';
import sandbox from './sandbox/index.js';
import { connectSandbox } from './sandbox/sandbox.testing.js';
import { type Simulator, startSimulator } from './sandbox/server.js';

const lines: string[] = [];
const log: Logger = {
  info: (m) => void lines.push(m),
  warn: (m) => void lines.push(m),
  debug: (m) => void lines.push(m),
};
const fast: ClientTuning = { sleep: async () => {}, pageSize: 2 };
const BASE = "API User (system) Can't Read Costs (API-only)";

/** A connect request that logs to `lines`. */
const request = (config: Record<string, unknown>, extra: Partial<ConnectRequest> = {}) =>
  connectRequest(config, { log, ...extra });

let sim: Simulator;
let conn: AutotaskConnection;
let operator: SandboxConsole;
let api: RawApi;
/** The API users' operations (the kind's `api`), with the connection in each request. */
const accounts = serviceAccountKind.api;

beforeEach(async () => {
  clearZoneCache();
  lines.length = 0;
  sim = await startSimulator();
  // A served sandbox on loopback, no credentials declared: placeholder headers are accepted.
  conn = await connectAutotask(request({ endpoint: sim.url }), fast);
  operator = sandbox.console({
    name: 'autotask-prod',
    config: { type: 'autotask', endpoint: sim.url },
    token: sim.consoleToken,
    log,
    tuning: fast,
  });
  api = new RawApi(sim.url, undefined, sim.consoleToken);
});
afterEach(async () => {
  await conn.close();
  await sim.close();
});

const byKey = (objects: RemoteObject[], key: string) => objects.filter((o) => o.naturalKey === key);
const state = () => api.console('GET', '/state');
const consoleUser = async (id: string | number): Promise<Json> => api.console('GET', `/api-users/${id}`);

async function operateCreateLevel(name = 'Office Protect Alerts (API)') {
  return operator.operate({
    kind: 'SecurityLevel',
    operation: 'create',
    address: 'autotask-prod/SecurityLevel/alerts-api',
    name: String('autotask-prod/SecurityLevel/alerts-api').split('/').pop()!,
    naturalKey: name,
    attributes: {
      name,
      copiedFrom: BASE,
      permissions: {
        'CRM › Account & Contact Access': 'All',
        'Service Desk › Tickets': ['View', 'Add', 'Edit'],
      },
      active: true,
    },
  });
}

/** Who a step on the office-protect API user is for. */
const apiUserStep = (operation: ManualOperation) => ({
  kind: 'ServiceAccount',
  operation,
  address: 'autotask-prod/ServiceAccount/office-protect',
  name: 'office-protect',
  naturalKey: 'alerts@example.com',
});

async function operateCreateUser(levelId: string, extra: Record<string, unknown> = {}) {
  return operator.operate({
    ...apiUserStep('create'),
    attributes: {
      email: 'alerts@example.com',
      securityLevel: { ref: 'Office Protect Alerts (API)', id: levelId },
      integrationVendor: 'Office Protect - Alert Integration',
      active: true,
      locked: false,
      ...extra,
    },
  });
}

describe('provider object', () => {
  it('declares its type, kinds, checks and a sandbox', () => {
    expect(provider.type).toBe('autotask');
    expect(provider.displayName).toBe('Autotask PSA');
    expect(Object.keys(provider.kinds)).toEqual(['ServiceAccount', 'SecurityLevel']);
    expect(typeof provider.check).toBe('function');
    expect(typeof sandbox.serve).toBe('function');
  });

  it('keeps operations out of the connection: the kinds have them, the sandbox console operates', async () => {
    const real = await connectAutotask(
      request(
        { endpoint: 'https://webservices2.autotask.net' },
        {
          credentials: {
            username: { reveal: () => 'u@x.io' } as never,
            secret: { reveal: () => 's' } as never,
            integrationCode: { reveal: () => 'c' } as never,
          },
        },
      ),
    );
    for (const m of ['list', 'read', 'create', 'update', 'delete', 'rotate', 'test', 'operate'])
      expect(m in real, m).toBe(false);
    await real.close();
    expect('api' in securityLevelKind).toBe(false);
    expect(typeof operator.operate).toBe('function');
  });
});

describe('listing API users', () => {
  it('returns every resource, API users by license type, interactive users as conflicts', async () => {
    const made = await api.apiUser('alerts@example.com', { firstName: 'Alerts' });
    const objects = (await accounts.list({ connection: conn, kind: 'ServiceAccount' })).objects;
    expect(objects).toEqual([
      {
        id: '29682885',
        naturalKey: 'admin@roster-sandbox.local',
        attributes: {
          firstName: 'Sandbox',
          lastName: 'Administrator',
          email: 'admin@roster-sandbox.local',
          active: true,
        },
        conflict:
          'admin@roster-sandbox.local belongs to an Autotask resource that is not an API user (resource 29682885); roster manages API users only',
      },
      {
        id: String(made.id),
        naturalKey: 'alerts@example.com',
        attributes: { firstName: 'Alerts', lastName: 'alerts', email: 'alerts@example.com', active: true },
      },
    ]);
    // Never what Autotask cannot report.
    expect(JSON.stringify(objects)).not.toMatch(/securityLevel|integrationVendor|locked|Office Protect/);
  });

  it('puts the live API user first when several share an e-mail (a replaced one keeps its address)', async () => {
    const old = await api.apiUser('alerts@example.com');
    const replacement = await api.apiUser('Alerts@example.com', { integrationVendor: 'Zapier' });
    const retired = await api.apiUser('alerts@example.com', { active: false });
    await api.console('POST', '/seed', { resources: 3 });
    const same = byKey(
      (await accounts.list({ connection: conn, kind: 'ServiceAccount' })).objects,
      'alerts@example.com',
    );
    expect(same.map((o) => [o.id, o.deactivated ?? false])).toEqual([
      [String(replacement.id), false],
      [String(old.id), false],
      [String(retired.id), true],
    ]);
  });

  it('pages through more than a page of resources (pageSize 2 here)', async () => {
    await api.console('POST', '/seed', { resources: 4, apiUsers: 3 });
    const objects = (await accounts.list({ connection: conn, kind: 'ServiceAccount' })).objects;
    expect(objects).toHaveLength(8);
    expect(objects.filter((o) => !o.conflict)).toHaveLength(3);
    // threshold + licence picklist + 4 pages of 2 (a served sandbox's URL is the zone: no lookup)
    expect(conn.stats()).toEqual({ apiCalls: 6, throttled: 0 });
  });
});

describe('updating by API', () => {
  it('PATCHes names and e-mail, deactivates and reactivates through isActive', async () => {
    const made = await api.apiUser('alerts@example.com');
    const prior = (await accounts.read({ connection: conn, kind: 'ServiceAccount', id: String(made.id) }))
      .object!;
    const upd = (changes: Record<string, unknown>, p: RemoteObject = prior) =>
      accounts.update({
        connection: conn,
        kind: 'ServiceAccount',
        address: 'a/ServiceAccount/op',
        id: p.id,
        prior: p,
        changes,
        idempotencyKey: 'k',
      });
    let after = (await upd({ firstName: 'Office', lastName: 'Protect', email: 'ops-alerts@example.com' }))
      .object;
    expect(after).toMatchObject({
      naturalKey: 'ops-alerts@example.com',
      attributes: { firstName: 'Office', lastName: 'Protect', email: 'ops-alerts@example.com', active: true },
    });
    after = (await upd({ active: false }, after)).object;
    expect(after.deactivated).toBe(true);
    expect((await consoleUser(made.id)).active).toBe(false);
    after = (await upd({ active: true }, after)).object;
    expect(after.deactivated).toBeUndefined();
  });

  it('never sends what only the UI can change, nor roster’s own credentials', async () => {
    const made = await api.apiUser('alerts@example.com');
    const prior = (await accounts.read({ connection: conn, kind: 'ServiceAccount', id: String(made.id) }))
      .object!;
    await accounts.update({
      connection: conn,
      kind: 'ServiceAccount',
      address: 'a/ServiceAccount/op',
      id: prior.id,
      prior,
      changes: { locked: true, securityLevel: { ref: 'X' }, credentials: { secret: 'x' }, lastName: 'Ops' },
      idempotencyKey: 'k',
    });
    const shown = await consoleUser(made.id);
    expect(shown).toMatchObject({ lastName: 'Ops', locked: false, securityLevel: BASE });
  });

  it('has no create or delete, which Autotask does not offer', () => {
    // Resources have no create, and nothing is deleted (API users are deactivated).
    expect('create' in conn).toBe(false);
    expect('delete' in conn).toBe(false);
  });
});

describe('the sandbox operator', () => {
  it('creates a security level and an API user through the console, returning the secret once', async () => {
    const levelStep = await operateCreateLevel();
    expect(levelStep.object).toEqual({
      id: expect.any(String),
      naturalKey: 'Office Protect Alerts (API)',
      attributes: {},
    });
    const step = await operateCreateUser(levelStep.object!.id);
    expect(step.object).toMatchObject({
      naturalKey: 'alerts@example.com',
      attributes: { firstName: 'office-protect', lastName: 'API', email: 'alerts@example.com', active: true },
    });
    // That it is a Secret, and never in the step's result or the log: the contract suite.
    const secret = step.secrets?.secret;
    expect(secret!.reveal()).toHaveLength(25);
    const shown = await consoleUser(step.object!.id);
    expect(shown).toMatchObject({
      securityLevel: 'Office Protect Alerts (API)',
      integrationVendor: 'Office Protect - Alert Integration',
      locked: false,
    });
    // The account signs in with what the console generated.
    // With its tracking identifier, shown once (never by the console later) and returned for the
    // place credentials.integrationCode names.
    const code = step.secrets?.integrationCode?.reveal();
    expect(code).toMatch(/^[A-Z0-9]{24}$/);
    expect(shown).not.toHaveProperty('trackingIdentifier');
    const h = {
      ApiIntegrationCode: code!,
      UserName: shown.username,
      Secret: secret!.reveal(),
    };
    expect((await api.call('GET', '/ThresholdInformation', undefined, h)).status).toBe(200);
    // And core finds it by natural key in the next refresh.
    const listed = byKey(
      (await accounts.list({ connection: conn, kind: 'ServiceAccount' })).objects,
      'alerts@example.com',
    );
    expect(listed.map((o) => o.id)).toEqual([step.object!.id]);
  });

  it('changes the security level and the lock by hand, and deactivates', async () => {
    const levelId = (await operateCreateLevel()).object!.id;
    const other = (await operateCreateLevel('Alerts (restricted)')).object!;
    const created = (await operateCreateUser(levelId)).object!;
    await operator.operate({
      ...apiUserStep('update'),
      id: created.id,
      prior: created,
      attributes: {},
      changes: { securityLevel: { ref: other.naturalKey, id: other.id }, locked: true },
    });
    expect(await consoleUser(created.id)).toMatchObject({
      securityLevel: 'Alerts (restricted)',
      locked: true,
    });
    const off = await operator.operate({
      ...apiUserStep('deactivate'),
      id: created.id,
      attributes: {},
    });
    expect(off.object?.deactivated).toBe(true);
  });

  it('refuses to reconfirm what the UI shows differently', async () => {
    const levelId = (await operateCreateLevel()).object!.id;
    const created = (await operateCreateUser(levelId)).object!;
    const reconfirm = (attributes: Record<string, unknown>) =>
      operator.operate({
        ...apiUserStep('reconfirm'),
        id: created.id,
        attributes,
      });
    await expect(
      reconfirm({
        securityLevel: { ref: 'Office Protect Alerts (API)' },
        integrationVendor: 'Office Protect - Alert Integration',
      }),
    ).resolves.toMatchObject({ object: { id: created.id } });
    await expect(reconfirm({ integrationVendor: 'Zapier', locked: true })).rejects.toThrow(
      'cannot confirm autotask-prod/ServiceAccount/office-protect: the sandbox shows that its integration vendor is Office Protect - Alert Integration, not Zapier; locked is false, not true',
    );
  });

  it('edits, deactivates and reconfirms security levels, found by id or by name', async () => {
    await operateCreateLevel();
    const step = (operation: 'update' | 'deactivate' | 'reconfirm', extra: Record<string, unknown> = {}) =>
      operator.operate({
        kind: 'SecurityLevel',
        operation,
        address: 'autotask-prod/SecurityLevel/alerts-api',
        name: 'alerts-api',
        naturalKey: 'Office Protect Alerts (API)',
        // Made by a person from the runbook: state holds the natural key as its id.
        id: 'Office Protect Alerts (API)',
        attributes: {},
        ...extra,
      });
    await step('update', {
      changes: { permissions: { 'Service Desk › Tickets': ['View', 'Add', 'Edit', 'Delete'] } },
    });
    await expect(
      step('reconfirm', {
        attributes: { permissions: { 'Service Desk › Tickets': ['Edit', 'View', 'Add', 'Delete'] } },
      }),
    ).resolves.toBeDefined();
    await expect(
      step('reconfirm', { attributes: { permissions: { 'CRM › Account & Contact Access': 'Mine' } } }),
    ).rejects.toThrow(/CRM › Account & Contact Access is "All"/);
    await step('deactivate');
    const level = (await state()).securityLevels.find((l: Json) => l.name === 'Office Protect Alerts (API)');
    expect(level.active).toBe(false);
    await expect(
      step('update', { naturalKey: 'Missing', id: 'Missing', changes: { active: true } }),
    ).rejects.toThrow(/no security level Missing/);
  });

  it('passes on what the UI refuses, e.g. an inactive security level for a new API user', async () => {
    const level = (await operateCreateLevel()).object!;
    await operator.operate({
      kind: 'SecurityLevel',
      operation: 'deactivate',
      address: 'autotask-prod/SecurityLevel/alerts-api',
      name: String('autotask-prod/SecurityLevel/alerts-api').split('/').pop()!,
      naturalKey: level.naturalKey,
      id: level.id,
      attributes: {},
    });
    await expect(operateCreateUser(level.id)).rejects.toThrow(
      /the sandbox refused to create API user alerts@example.com: Office Protect Alerts \(API\) is inactive/,
    );
  });
});

describe('endpoint: sandbox', () => {
  it('is never started by connect: the sandbox entry starts it and gives connect its address', async () => {
    await expect(connectAutotask(request({ endpoint: 'sandbox' }), fast)).rejects.toThrow(
      'endpoint sandbox is started by the sandbox entry',
    );
  });

  it('starts the simulator in-process, persisted in the sandbox directory; connect reaches its address', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'autotask-sandbox-'));
    const first = await connectSandbox({ log, dir }, fast);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const level = (
      await first.operator.operate({
        kind: 'SecurityLevel',
        operation: 'create',
        address: 'p/SecurityLevel/l',
        name: String('p/SecurityLevel/l').split('/').pop()!,
        naturalKey: 'L',
        attributes: { name: 'L' },
      })
    ).object!;
    const made = await first.operator.operate({
      kind: 'ServiceAccount',
      operation: 'create',
      address: 'p/ServiceAccount/svc',
      name: String('p/ServiceAccount/svc').split('/').pop()!,
      naturalKey: 'svc@example.com',
      attributes: {
        email: 'svc@example.com',
        securityLevel: { ref: 'L', id: level.id },
        integrationVendor: 'Zapier',
      },
    });
    await first.close();
    expect(readdirSync(dir).sort()).toEqual(['autotask.journal', 'autotask.json']);
    const files = readdirSync(dir)
      .map((f) => readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    expect(files).not.toContain(made.secrets!.secret!.reveal());
    const second = await connectSandbox({ log, dir }, fast);
    const objects = (await accounts.list({ connection: second.conn, kind: 'ServiceAccount' })).objects;
    expect(byKey(objects, 'svc@example.com')).toHaveLength(1);
    expect(lines.some((l) => l.includes('sandbox simulator at http://127.0.0.1:'))).toBe(true);
    await second.close();
  });

  it('serves the sandbox for `roster sandbox serve`, checking declared credentials', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'autotask-serve-'));
    const served = await sandbox.serve({
      name: 'autotask-prod',
      config: { type: 'autotask', endpoint: 'sandbox' },
      credentials: {
        username: { reveal: () => 'roster@example.com' } as never,
        secret: { reveal: () => 's3' } as never,
        integrationCode: { reveal: () => 'CODE' } as never,
      },
      sandboxDir: dir,
      host: '127.0.0.1',
      port: 0,
      faults: { latencyMs: 0 },
    });
    const raw = new RawApi(served.url, {
      ApiIntegrationCode: 'CODE',
      UserName: 'roster@example.com',
      Secret: 's3',
    });
    expect((await raw.query({ filter: [{ op: 'gte', field: 'id', value: 0 }] })).status).toBe(200);
    const wrong = new RawApi(served.url, {
      ApiIntegrationCode: 'CODE',
      UserName: 'roster@example.com',
      Secret: 'x',
    });
    expect((await wrong.query({ filter: [{ op: 'gte', field: 'id', value: 0 }] })).status).toBe(401);
    await served.close();
  });
});
