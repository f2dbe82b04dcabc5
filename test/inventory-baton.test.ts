import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { batonFileProblems } from '../packages/core/src/render/baton-file-check.testing.js';
import { copyExample, editFile, roster, serveSandbox } from './helpers.js';

// examples/company applied, exported for ConductorOne's baton-file connector; then changed behind
// roster's back (a web services user added by hand in the Intacct sandbox) and bi-export removed
// from the manifests and applied (Intacct deactivates it), and exported again: the ids must hold.

interface Baton {
  users: Array<{
    id: string;
    status: string;
    type: string;
    login?: string;
    status_details?: string;
    profile?: Record<string, unknown>;
  }>;
  resources: Array<{
    id: string;
    resource_type: string;
    trait: string;
    parent_resource?: string;
    identity?: string;
  }>;
  entitlements: Array<{ resource_id: string; entitlement_slug: string }>;
  direct_user_grants: Array<{ principal_id: string; resource_id: string; entitlement_slug: string }>;
}

async function exportBaton(dir: string): Promise<Baton> {
  const r = await roster(['inventory', '--format', 'baton'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as Baton;
  expect(batonFileProblems(doc)).toEqual([]);
  return doc;
}

const userByAddress = (doc: Baton, address: string) => {
  const u = doc.users.find((x) => x.profile?.address === address);
  if (!u) throw new Error(`no user for ${address} in ${doc.users.map((x) => x.id).join(', ')}`);
  return u;
};
const grantsOf = (doc: Baton, id: string) =>
  doc.direct_user_grants
    .filter((g) => g.principal_id === id)
    .map((g) => `${g.resource_id} ${g.entitlement_slug}`);

describe('roster inventory --format baton on the company example', () => {
  let dir: string;
  let first: Baton;
  beforeAll(async () => {
    dir = copyExample('company');
    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    first = await exportBaton(dir);
  }, 180_000);

  it('writes a file baton-file loads: accounts as service users with their roles and permissions granted', () => {
    const portal = userByAddress(first, 'intacct-sandbox/ServiceAccount/invoice-portal');
    expect(portal).toMatchObject({ status: 'enabled', type: 'service' });
    expect(portal.id).toBe(`intacct-sandbox/ServiceAccount/${portal.login}`);
    expect(portal.profile).toMatchObject({ owner: 'finance-it', roster_status: 'managed', drift: 'in-sync' });
    const held = grantsOf(first, portal.id);
    expect(held).toEqual(
      expect.arrayContaining([
        'intacct-sandbox/role/AP Sync assigned',
        'intacct-sandbox/role/Integrations assigned',
      ]),
    );
    // Its effective permissions are entitlements of the Intacct app.
    const permissions = held.filter((g) => g.startsWith('intacct-sandbox '));
    expect(permissions.length).toBeGreaterThan(1);
    expect(first.resources.find((r) => r.id === 'intacct-sandbox')).toMatchObject({
      resource_type: 'system',
      trait: 'app',
    });
  });

  it("files a Getint connection's reach under Autotask, as the same entitlements the account it signs in as holds", () => {
    const alerts = userByAddress(first, 'getint/Connector/autotask-alerts');
    const office = userByAddress(first, 'autotask-prod/ServiceAccount/office-protect');
    expect(alerts.profile).toMatchObject({ account_role: 'connector' });
    const reached = grantsOf(first, alerts.id);
    expect(reached.length).toBeGreaterThan(0);
    expect(reached.every((g) => g.startsWith('autotask-prod '))).toBe(true);
    const own = grantsOf(first, office.id);
    for (const g of reached) expect(own).toContain(g);
  });

  it('keeps ids across exports: a removed account is the same user, disabled; a hand-made one appears unmanaged', async () => {
    const before = userByAddress(first, 'intacct-sandbox/ServiceAccount/bi-export');
    expect(before.status).toBe('enabled');

    const server = await serveSandbox(dir, 'intacct-sandbox');
    try {
      const seed = await fetch(`${server.url}/__sandbox/seed`, {
        method: 'POST',
        headers: server.headers,
        body: JSON.stringify({ users: 1, prefix: 'HAND' }),
      });
      expect(seed.status).toBe(200);
    } finally {
      await server.stop();
    }
    editFile(
      path.join(dir, 'intacct-accounts.yaml'),
      /---\napiVersion: roster\/v1\nkind: ServiceAccount\nmetadata:\n {2}name: bi-export[\s\S]*$/,
      '',
    );
    const removed = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(removed.code, removed.stdout + removed.stderr).toBe(0);

    const second = await exportBaton(dir);
    const gone = second.users.find((u) => u.id === before.id);
    expect(gone).toMatchObject({ status: 'disabled', status_details: 'deactivated in the system' });
    const hand = userByAddress(second, 'intacct-sandbox/ServiceAccount/HAND_USER_000001');
    expect(hand).toMatchObject({
      status: 'enabled',
      status_details: 'unmanaged: no roster manifest declares it',
    });
    expect(hand.profile).not.toHaveProperty('owner');
    expect(hand.profile?.findings).toMatch(/^inventory\.no-owner: /);
    // Every other account keeps its id, roles and permissions: certifications carry over.
    for (const u of first.users.filter((x) => x.id !== before.id)) {
      expect(grantsOf(second, u.id), u.id).toEqual(grantsOf(first, u.id));
    }
    expect(second.users.map((u) => u.id)).toEqual(
      [...first.users.map((u) => u.id), hand.id].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
    );
  });
});
