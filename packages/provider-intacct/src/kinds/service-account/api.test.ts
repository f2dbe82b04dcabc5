import { consoleHeaders } from '@roster/sim-kit';
import { describe, expect, it } from 'vitest';
import { byKey, ref, useCompany } from '../company.testing.js';

const company = useCompany();
const { role, group, account, createAccount, update } = company;

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
    expect(byKey((await company.conn.list({ kind: 'ServiceAccount' })).objects, 'WS_INVOICE_PORTAL')).toEqual(
      created,
    );
    const wire = await company.api.ok('GET', `/objects/company-config/user/${created.id}`);
    expect(wire).toMatchObject({ webServices: { isRestricted: true }, password: { neverExpires: true } });
    expect(g1.id).toBeTruthy();
  });

  it('creates a locked user as lockedOut and reads it as locked', async () => {
    const c = await createAccount('WS_PAYROLL', { status: 'locked' });
    expect(c.attributes.status).toBe('locked');
    expect((await company.api.ok('GET', `/objects/company-config/user/${c.id}`)).status).toBe('lockedOut');
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
    const members = await company.api.query({
      object: 'company-config/user-group-member',
      fields: ['userGroup.id'],
    });
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
    await company.remove('ServiceAccount', a);
    await fetch(`${company.sim.url}/__sandbox/users/WS_B/login`, {
      method: 'POST',
      headers: consoleHeaders(company.sim.consoleToken),
    });
    await expect(
      company.conn.delete({ kind: 'ServiceAccount', address: 'books/ServiceAccount/b', id: b.id, prior: b }),
    ).rejects.toThrow(
      /^Intacct refused to delete user WS_B: User WS_B has been activated .* \(422 operationFailed\)$/,
    );
    expect((await company.conn.list({ kind: 'ServiceAccount' })).objects.map((o) => o.naturalKey)).toEqual([
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
    await company.conn.delete({ kind: 'ServiceAccount', address: 'x', id: first.id, prior: first });
    const again = (
      await company.conn.create({
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
