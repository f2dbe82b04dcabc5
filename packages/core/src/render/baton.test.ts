import { describe, expect, it } from 'vitest';
import { inventoryRow } from '../inventory/account-fixture.testing.js';
import type { InventoryAccount, InventoryReport } from '../inventory/types.js';
import { batonFile, renderBaton } from './baton.js';
import { batonFileProblems } from './baton-file-check.testing.js';

const account = (over: Partial<InventoryAccount> & Pick<InventoryAccount, 'address'>): InventoryAccount => {
  const [provider = '', , name = ''] = over.address.split('/');
  return inventoryRow({ system: provider.split('-')[0]!, naturalKey: name.toUpperCase(), ...over });
};

const apBot = account({
  address: 'intacct-prod/ServiceAccount/ap-bot',
  id: 'U-17',
  owner: 'finance-ops@example.com',
  backupOwner: 'cfo@example.com',
  purpose: 'bill import',
  labels: { owner: 'finance-ops@example.com', team: 'finance' },
  roles: ['AP Clerk'],
  permissions: [
    { name: 'accountsPayable/bills: add', via: ['intacct-prod/Role/ap-clerk'] },
    { name: 'accountsPayable/payBills: add', via: ['intacct-prod/Role/ap-clerk'] },
    { name: 'company/roles: edit', escalates: true, via: [] },
  ],
  credentials: {
    issuedAt: '2026-09-01T08:00:00Z',
    ageDays: 97,
    rotateAfterDays: 90,
    rotationDue: '2026-11-30',
  },
  attestation: { at: '2026-10-01T09:00:00Z', by: 'ann', ageDays: 67 },
  lastUsed: { at: '2026-12-06T23:10:00Z', source: 'system', field: 'userinfo lastLoginDate' },
  file: 'intacct-accounts.yaml',
  line: 3,
  column: 1,
});
const legacy = account({
  address: 'intacct-prod/ServiceAccount/LEGACY',
  status: 'unmanaged',
  drift: 'unmanaged',
  lastUsed: { at: null, source: null, field: null, unknownReason: 'the system records no last use' },
  roles: ['AP Clerk'],
  permissions: [{ name: 'accountsPayable/bills: add', via: ['intacct-prod/Role/ap-clerk'] }],
});
const contractSync = account({
  address: 'autotask-prod/ApiUser/contract-sync',
  status: 'deactivated',
  roles: ['API User (system)'],
  permissions: [{ name: 'Contracts: Edit', via: ['autotask-prod/SecurityLevel/api-only'] }],
  lastUsed: { at: '2026-12-01T10:00:00Z', source: 'roster-test', field: null },
});
const jiraLink = account({
  address: 'getint-prod/Connection/contract-jira',
  role: 'connector',
  permissions: [
    {
      name: 'autotask-prod: Contracts: Edit',
      via: ['autotask-prod/ApiUser/contract-sync', 'autotask-prod/SecurityLevel/api-only'],
    },
  ],
});

const report = (accounts: InventoryAccount[]): InventoryReport => ({
  formatVersion: 1,
  generatedAt: '2026-12-07T12:00:00Z',
  staleAfterDays: 90,
  accounts,
  findings: [
    {
      rule: 'inventory.no-owner',
      severity: 'warning',
      address: legacy.address,
      message: 'intacct-prod/ServiceAccount/LEGACY has no owner label',
    },
    {
      rule: 'inventory.stale',
      severity: 'warning',
      address: legacy.address,
      message: 'not used for more than 90 days',
      excepted: { reason: 'kept for the year-end close', file: 'policy.yaml', line: 7 },
    },
  ],
  conflicts: [
    {
      address: apBot.address,
      rule: 'ap-vendor-payment',
      pack: 'finance',
      message: 'adds bills and pays them',
      severity: 'error',
      permissions: ['accountsPayable/bills: add', 'accountsPayable/payBills: add'],
    },
  ],
  diagnostics: [],
});

const full = report([apBot, legacy, contractSync, jiraLink]);

describe('renderBaton', () => {
  it('writes each account as a service user, systems as apps, roles with `assigned`, permissions as app entitlements, credentials as secrets', () => {
    expect(renderBaton(full)).toMatchInlineSnapshot(`
      "{
        "users": [
          {
            "id": "autotask-prod/ApiUser/CONTRACT-SYNC",
            "display_name": "contract-sync (autotask-prod)",
            "status": "disabled",
            "type": "service",
            "login": "CONTRACT-SYNC",
            "status_details": "deactivated in the system",
            "profile": {
              "address": "autotask-prod/ApiUser/contract-sync",
              "system": "autotask",
              "provider": "autotask-prod",
              "kind": "ApiUser",
              "account_role": "account",
              "roster_status": "deactivated",
              "drift": "in-sync",
              "last_used_at": "2026-12-01T10:00:00Z",
              "last_used_source": "roster-test",
              "stale": false,
              "via.autotask-prod/Contracts: Edit": "autotask-prod/SecurityLevel/api-only"
            }
          },
          {
            "id": "getint-prod/Connection/CONTRACT-JIRA",
            "display_name": "contract-jira (getint-prod)",
            "status": "enabled",
            "type": "service",
            "login": "CONTRACT-JIRA",
            "status_details": "managed by roster (drift: in-sync)",
            "profile": {
              "address": "getint-prod/Connection/contract-jira",
              "system": "getint",
              "provider": "getint-prod",
              "kind": "Connection",
              "account_role": "connector",
              "roster_status": "managed",
              "drift": "in-sync",
              "stale": false,
              "via.autotask-prod/Contracts: Edit": "autotask-prod/ApiUser/contract-sync -> autotask-prod/SecurityLevel/api-only"
            }
          },
          {
            "id": "intacct-prod/ServiceAccount/AP-BOT",
            "display_name": "ap-bot (intacct-prod)",
            "status": "enabled",
            "type": "service",
            "last_login": "2026-12-06T23:10:00Z",
            "login": "AP-BOT",
            "status_details": "managed by roster (drift: in-sync)",
            "profile": {
              "address": "intacct-prod/ServiceAccount/ap-bot",
              "system": "intacct",
              "provider": "intacct-prod",
              "kind": "ServiceAccount",
              "account_role": "account",
              "roster_status": "managed",
              "system_id": "U-17",
              "owner": "finance-ops@example.com",
              "backup_owner": "cfo@example.com",
              "purpose": "bill import",
              "label.team": "finance",
              "drift": "in-sync",
              "credentials_issued_at": "2026-09-01T08:00:00Z",
              "credentials_age_days": 97,
              "rotate_after_days": 90,
              "rotation_due": "2026-11-30",
              "attested_at": "2026-10-01T09:00:00Z",
              "attested_by": "ann",
              "attestation_age_days": 67,
              "last_used_at": "2026-12-06T23:10:00Z",
              "last_used_source": "system",
              "last_used_field": "userinfo lastLoginDate",
              "stale": false,
              "sod_conflicts": "finance/ap-vendor-payment",
              "manifest": "intacct-accounts.yaml:3:1",
              "via.intacct-prod/accountsPayable/bills: add": "intacct-prod/Role/ap-clerk",
              "via.intacct-prod/accountsPayable/payBills: add": "intacct-prod/Role/ap-clerk"
            }
          },
          {
            "id": "intacct-prod/ServiceAccount/LEGACY",
            "display_name": "LEGACY (intacct-prod)",
            "status": "enabled",
            "type": "service",
            "login": "LEGACY",
            "status_details": "unmanaged: no roster manifest declares it",
            "profile": {
              "address": "intacct-prod/ServiceAccount/LEGACY",
              "system": "intacct",
              "provider": "intacct-prod",
              "kind": "ServiceAccount",
              "account_role": "account",
              "roster_status": "unmanaged",
              "drift": "unmanaged",
              "last_used_unknown": "the system records no last use",
              "stale": true,
              "findings": "inventory.no-owner: intacct-prod/ServiceAccount/LEGACY has no owner label; inventory.stale: not used for more than 90 days (excepted)",
              "via.intacct-prod/accountsPayable/bills: add": "intacct-prod/Role/ap-clerk"
            }
          }
        ],
        "resources": [
          {
            "resource_type": "system",
            "trait": "app",
            "id": "autotask-prod",
            "display_name": "autotask-prod (autotask)",
            "description": "The autotask system of roster provider autotask-prod: its accounts, connections, roles and permissions as roster inventory reads them.",
            "profile": {
              "provider": "autotask-prod",
              "system": "autotask",
              "stale_after_days": 90,
              "accounts": 1
            }
          },
          {
            "resource_type": "role",
            "trait": "role",
            "id": "autotask-prod/role/API User (system)",
            "display_name": "API User (system) (autotask-prod)",
            "description": "Role, security level or group API User (system) in autotask-prod.",
            "parent_resource": "autotask-prod"
          },
          {
            "resource_type": "system",
            "trait": "app",
            "id": "getint-prod",
            "display_name": "getint-prod (getint)",
            "description": "The getint system of roster provider getint-prod: its accounts, connections, roles and permissions as roster inventory reads them.",
            "profile": {
              "provider": "getint-prod",
              "system": "getint",
              "stale_after_days": 90,
              "accounts": 1
            }
          },
          {
            "resource_type": "system",
            "trait": "app",
            "id": "intacct-prod",
            "display_name": "intacct-prod (intacct)",
            "description": "The intacct system of roster provider intacct-prod: its accounts, connections, roles and permissions as roster inventory reads them.",
            "profile": {
              "provider": "intacct-prod",
              "system": "intacct",
              "stale_after_days": 90,
              "accounts": 2
            }
          },
          {
            "resource_type": "credential",
            "trait": "secret",
            "id": "intacct-prod/ServiceAccount/AP-BOT#credentials",
            "display_name": "Credentials of ap-bot (intacct-prod)",
            "description": "Credentials roster issued or last saw issued; expires_at is the rotation due date of rotateAfterDays, not an expiry the system enforces.",
            "parent_resource": "intacct-prod",
            "created_at": "2026-09-01T08:00:00Z",
            "expires_at": "2026-11-30",
            "identity": "user:intacct-prod/ServiceAccount/AP-BOT"
          },
          {
            "resource_type": "role",
            "trait": "role",
            "id": "intacct-prod/role/AP Clerk",
            "display_name": "AP Clerk (intacct-prod)",
            "description": "Role, security level or group AP Clerk in intacct-prod.",
            "parent_resource": "intacct-prod"
          }
        ],
        "entitlements": [
          {
            "resource_id": "autotask-prod",
            "entitlement_slug": "Contracts: Edit",
            "display_name": "Contracts: Edit",
            "description": "Permission Contracts: Edit in autotask-prod."
          },
          {
            "resource_id": "autotask-prod/role/API User (system)",
            "entitlement_slug": "assigned",
            "display_name": "API User (system): assigned",
            "description": "Holds API User (system) in autotask-prod."
          },
          {
            "resource_id": "intacct-prod",
            "entitlement_slug": "accountsPayable/bills: add",
            "display_name": "accountsPayable/bills: add",
            "description": "Permission accountsPayable/bills: add in intacct-prod."
          },
          {
            "resource_id": "intacct-prod",
            "entitlement_slug": "accountsPayable/payBills: add",
            "display_name": "accountsPayable/payBills: add",
            "description": "Permission accountsPayable/payBills: add in intacct-prod."
          },
          {
            "resource_id": "intacct-prod",
            "entitlement_slug": "company/roles: edit",
            "display_name": "company/roles: edit",
            "description": "Permission company/roles: edit in intacct-prod: lets the holder change its own rights (privilege escalation)."
          },
          {
            "resource_id": "intacct-prod/role/AP Clerk",
            "entitlement_slug": "assigned",
            "display_name": "AP Clerk: assigned",
            "description": "Holds AP Clerk in intacct-prod."
          }
        ],
        "direct_user_grants": [
          {
            "principal_id": "autotask-prod/ApiUser/CONTRACT-SYNC",
            "resource_id": "autotask-prod",
            "entitlement_slug": "Contracts: Edit"
          },
          {
            "principal_id": "autotask-prod/ApiUser/CONTRACT-SYNC",
            "resource_id": "autotask-prod/role/API User (system)",
            "entitlement_slug": "assigned"
          },
          {
            "principal_id": "getint-prod/Connection/CONTRACT-JIRA",
            "resource_id": "autotask-prod",
            "entitlement_slug": "Contracts: Edit"
          },
          {
            "principal_id": "intacct-prod/ServiceAccount/AP-BOT",
            "resource_id": "intacct-prod",
            "entitlement_slug": "accountsPayable/bills: add"
          },
          {
            "principal_id": "intacct-prod/ServiceAccount/AP-BOT",
            "resource_id": "intacct-prod",
            "entitlement_slug": "accountsPayable/payBills: add"
          },
          {
            "principal_id": "intacct-prod/ServiceAccount/AP-BOT",
            "resource_id": "intacct-prod",
            "entitlement_slug": "company/roles: edit"
          },
          {
            "principal_id": "intacct-prod/ServiceAccount/AP-BOT",
            "resource_id": "intacct-prod/role/AP Clerk",
            "entitlement_slug": "assigned"
          },
          {
            "principal_id": "intacct-prod/ServiceAccount/LEGACY",
            "resource_id": "intacct-prod",
            "entitlement_slug": "accountsPayable/bills: add"
          },
          {
            "principal_id": "intacct-prod/ServiceAccount/LEGACY",
            "resource_id": "intacct-prod/role/AP Clerk",
            "entitlement_slug": "assigned"
          }
        ]
      }"
    `);
  });

  it('loads in baton-file: the transcribed schema holds and every grant, parent and identity resolves', () => {
    const doc = JSON.parse(renderBaton(full));
    expect(batonFileProblems(doc)).toEqual([]);
    expect(doc.direct_user_grants.length).toBeGreaterThan(0);
  });

  it('gives the same file whatever the order of the accounts, and keeps ids when an account is adopted or renamed', () => {
    expect(renderBaton(report([jiraLink, contractSync, legacy, apBot]))).toBe(renderBaton(full));
    const adopted = account({
      ...legacy,
      address: 'intacct-prod/ServiceAccount/legacy-import',
      name: 'legacy-import',
      status: 'managed',
      drift: 'in-sync',
    });
    const before = batonFile(report([legacy])).users[0]!;
    const after = batonFile(report([adopted])).users[0]!;
    expect(after.id).toBe(before.id);
    expect(after.id).toBe('intacct-prod/ServiceAccount/LEGACY');
  });

  it("files a connection's permission under the system it reaches, by its name there, with or without a path", () => {
    const bare = account({
      address: 'getint-prod/Connection/old',
      role: 'connector',
      permissions: [{ name: 'autotask-prod: Contracts: Edit', via: [] }],
    });
    const file = batonFile(report([contractSync, bare]));
    expect(file.entitlements.filter((e) => e.entitlement_slug === 'Contracts: Edit')).toHaveLength(1);
    expect(file.direct_user_grants).toContainEqual({
      principal_id: 'getint-prod/Connection/OLD',
      resource_id: 'autotask-prod',
      entitlement_slug: 'Contracts: Edit',
    });
  });

  it('marks an account the system no longer holds as deleted', () => {
    const gone = account({ address: 'afas-prod/AppConnector/payroll', drift: 'deleted' });
    expect(batonFile(report([gone])).users[0]).toMatchObject({
      status: 'deleted',
      status_details: 'managed by roster, but the system no longer holds it',
    });
  });
});
