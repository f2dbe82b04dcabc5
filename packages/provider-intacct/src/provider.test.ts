import type { ConnectRequest, Logger } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { byKey, useCompany } from './kinds/company.testing.js';
import provider from './provider.js';

const quiet: Logger = { info() {}, warn() {}, debug() {} };

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

const company = useCompany();
const { role } = company;

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
    const users = (await company.conn.list({ kind: 'ServiceAccount' })).objects;
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
    const roles = (await company.conn.list({ kind: 'SecurityLevel' })).objects;
    expect(roles.map((r) => [r.naturalKey, Boolean(r.conflict)])).toEqual([
      ['::SYS::Administrator', true],
      ['::SYS::Employee', true],
    ]);
    expect((await company.conn.list({ kind: 'Group' })).objects).toEqual([]);
  });

  it('marks a standard user holding an ID as a conflict', async () => {
    await company.api.ok('POST', '/objects/company-config/user', {
      id: 'JSMITH',
      accountEmail: 'j@example.com',
      contact: { id: 'Smith, J', firstName: 'J', lastName: 'Smith', email1: 'j@example.com' },
      webServices: { isRestricted: false },
    });
    const js = byKey((await company.conn.list({ kind: 'ServiceAccount' })).objects, 'JSMITH');
    expect(js?.conflict).toBe(
      'ID JSMITH belongs to a standard (interactive) user; a web services user cannot reuse it',
    );
  });

  it('reads one object by key, and nothing for an unknown key', async () => {
    const r = await role('Reader', { 'generalLedger/accounts': ['list', 'readonly'] });
    expect((await company.conn.read({ kind: 'SecurityLevel', id: r.id })).object).toEqual(r);
    expect((await company.conn.read({ kind: 'ServiceAccount', id: '999' })).object).toBeUndefined();
    await expect(company.conn.list({ kind: 'Connector' })).rejects.toThrow(
      "Connector: an operation declared api needs the kind's list",
    );
  });
});

describe('connect', () => {
  it('needs credentials for a real endpoint, all three of them', async () => {
    await expect(provider.connect(request({ endpoint: 'https://company.api.intacct.com' }))).rejects.toThrow(
      /provider books: endpoint https:\/\/company.api.intacct.com needs credentials \(clientId, clientSecret, userId\)/,
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
