import { inventoryRow } from '../../inventory/account-fixture.testing.js';
import type { InventoryAccount, InventoryReport } from '../../inventory/types.js';
import type { ReviewReport } from '../../review/types.js';

/** An account of the fixtures, its defaults those of a managed, in-sync, owned account. */
export function fixtureAccount(over: Partial<InventoryAccount> & { address: string }): InventoryAccount {
  return inventoryRow({
    owner: 'finance-it@example.com',
    lastUsed: { at: '2026-11-30T08:00:00Z', source: 'system', field: 'userinfo lastLoginDate' },
    ...over,
  });
}

/** The marker a test looks for: it must show as text, never run. */
export const HOSTILE_NAME = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

const GL_PERMISSIONS = [
  'General Ledger/Accounts list',
  'General Ledger/Journals list',
  'General Ledger/Reports run',
  'General Ledger/Budgets list',
  'General Ledger/Statistical journals list',
  'General Ledger/Account groups list',
  'General Ledger/Reporting periods list',
  'General Ledger/Dimensions list',
  'General Ledger/Journal entries add',
  'General Ledger/Journal entries approve',
];

/**
 * A small company as an inventory: an Intacct AP account holding bills-add with payments-approve
 * (an SoD conflict), a stale GL account whose role carries more permissions than the graph draws,
 * an unmanaged account with no owner, a deactivated one, a Getint connection that signs in as the
 * AP account (a path across systems), and an Autotask account whose name and permission are markup.
 */
export function inventoryFixture(): InventoryReport {
  const accounts: InventoryAccount[] = [
    fixtureAccount({
      address: 'intacct-main/User/svc-ap',
      system: 'intacct',
      purpose: 'AP automation',
      roles: ['AP Approver', 'AP Clerk'],
      permissions: [
        { name: 'Accounts Payable/Bills add', via: ['intacct-main/Role/AP Clerk'] },
        { name: 'Accounts Payable/Bills list', via: ['intacct-main/Role/AP Clerk'] },
        { name: 'Accounts Payable/Payments approve', via: ['intacct-main/Role/AP Approver'] },
      ],
      credentials: {
        issuedAt: '2026-06-01T00:00:00Z',
        ageDays: 189,
        rotateAfterDays: 180,
        rotationDue: '2026-11-28',
      },
    }),
    fixtureAccount({
      address: 'intacct-main/User/svc-gl',
      system: 'intacct',
      roles: ['GL Poster'],
      permissions: GL_PERMISSIONS.map((name) => ({ name, via: ['intacct-main/Role/GL Poster'] })),
      lastUsed: { at: '2026-03-02T10:00:00Z', source: 'system', field: 'userinfo lastLoginDate' },
      attestation: { at: '2026-09-01T00:00:00Z', by: 'controller@example.com', ageDays: 97 },
    }),
    fixtureAccount({
      address: 'intacct-main/User/legacy-export',
      system: 'intacct',
      status: 'unmanaged',
      owner: null,
      drift: 'unmanaged',
      permissions: [{ name: 'Accounts Payable/Bills list', via: [] }],
      lastUsed: { at: null, source: null, field: null },
    }),
    fixtureAccount({
      address: 'intacct-main/User/old-svc',
      system: 'intacct',
      status: 'deactivated',
      permissions: [],
      lastUsed: { at: '2025-01-10T00:00:00Z', source: 'system', field: 'userinfo lastLoginDate' },
    }),
    fixtureAccount({
      address: 'getint/Connection/intacct-sync',
      system: 'getint',
      kind: 'Connection',
      role: 'connector',
      permissions: [
        {
          name: 'Accounts Payable/Bills add',
          via: ['intacct-main/User/svc-ap', 'intacct-main/Role/AP Clerk'],
        },
      ],
      lastUsed: { at: '2026-12-01T00:00:00Z', source: 'roster-test', field: null },
    }),
    fixtureAccount({
      address: `autotask/ApiUser/${HOSTILE_NAME}`,
      system: 'autotask',
      owner: 'ops@example.com',
      roles: ['API User (system)'],
      permissions: [
        {
          name: `<b>Tickets</b> "edit" & 'delete'`,
          escalates: true,
          via: ['autotask/SecurityLevel/API User (system)'],
        },
      ],
    }),
  ];
  return {
    formatVersion: 1,
    generatedAt: '2026-12-07T12:00:00Z',
    staleAfterDays: 90,
    accounts,
    findings: [
      {
        rule: 'inventory.stale',
        severity: 'warning',
        address: 'intacct-main/User/svc-gl',
        message: 'not used for 280 days (userinfo lastLoginDate)',
        file: 'intacct.yaml',
        line: 12,
        column: 3,
      },
      {
        rule: 'inventory.no-owner',
        severity: 'warning',
        address: 'intacct-main/User/legacy-export',
        message: 'no owner',
      },
    ],
    conflicts: [
      {
        address: 'intacct-main/User/svc-ap',
        rule: 'ap-bill-payment',
        pack: 'finance',
        message: 'adds bills and approves their payment',
        severity: 'error',
        permissions: ['Accounts Payable/Bills add', 'Accounts Payable/Payments approve'],
      },
    ],
    diagnostics: [],
  };
}

/** A review of the inventory fixture's population: decided, one revoke enacted, one missing. */
export function reviewFixture(): ReviewReport {
  const inventory = inventoryFixture();
  const items: ReviewReport['items'] = inventory.accounts.map((a) => ({
    address: a.address,
    naturalKey: a.naturalKey,
    id: a.id,
    system: a.system,
    provider: a.provider,
    kind: a.kind,
    status: a.status,
    owner: a.owner,
    backupOwner: a.backupOwner,
    purpose: a.purpose,
    roles: a.roles,
    permissions: a.permissions.map((p) => p.name).sort(),
    lastUsedAt: a.lastUsed.at,
  }));
  const item = (i: number) => {
    const found = items[i];
    if (!found) throw new Error(`no item ${i}`);
    return found;
  };
  const decide = (i: number, decision: 'keep' | 'revoke' | 'change', comment: string) => {
    item(i).decision = { decision, reviewer: 'auditor@example.com', at: '2026-12-02', comment };
  };
  decide(0, 'change', 'split AP approval into its own account');
  decide(1, 'revoke', 'unused since March');
  decide(2, 'keep', 'export still needed <b>until</b> Q1');
  decide(3, 'keep', 'already deactivated');
  decide(5, 'keep', HOSTILE_NAME);
  item(1).enactment = {
    status: 'enacted',
    commits: [
      {
        sha: '3f2a9c1d0b8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a',
        date: '2026-12-03T09:00:00Z',
        author: 'finance-it',
        subject: 'remove svc-gl (review 2026-Q4)',
        files: ['intacct.yaml'],
      },
    ],
    applies: [
      {
        at: '2026-12-03T10:00:00Z',
        by: 'ci',
        runId: 'run-7f3a',
        serial: 42,
        action: 'delete',
        outcome: 'ok',
      },
    ],
  };
  item(0).enactment = { status: 'pending', commits: [], applies: [] };
  return {
    formatVersion: 1,
    period: '2026-Q4',
    startedAt: '2026-12-01T09:00:00Z',
    startedBy: 'controller@example.com',
    generatedAt: '2026-12-07T12:00:00Z',
    population: {
      size: items.length,
      hash: `sha256:${'a'.repeat(64)}`,
      refreshHash: `sha256:${'b'.repeat(64)}`,
      intact: true,
    },
    reviewers: [{ name: 'auditor@example.com', decisions: 5, first: '2026-12-02', last: '2026-12-02' }],
    totals: { keep: 3, revoke: 1, change: 1, missing: 1 },
    items,
    openExceptions: [
      { address: 'intacct-main/User/svc-ap', kind: 'pending-decision', detail: 'change not yet enacted' },
    ],
    conflicts: inventory.conflicts,
    current: inventory.accounts,
    problems: [
      { code: 'review.missing-decision', address: 'getint/Connection/intacct-sync', message: 'no decision' },
    ],
    notes: ['no audit log <i>before</i> 2026-12-01'],
    findings: inventory.findings,
  };
}

/** `n` accounts over three providers, sharing roles: the graph must stay readable at 50. */
export function manyAccountsFixture(n: number): InventoryReport {
  const base = inventoryFixture();
  const providers = ['intacct-main', 'autotask', 'afas'];
  const accounts = Array.from({ length: n }, (_, i) => {
    const provider = providers[i % providers.length];
    const role = `Role ${i % 4}`;
    return fixtureAccount({
      address: `${provider}/User/svc-${String(i).padStart(2, '0')}`,
      roles: [role],
      permissions: Array.from({ length: 3 + (i % 4) }, (_, j) => ({
        name: `Module ${i % 4}/Permission ${j}`,
        via: [`${provider}/Role/${role}`],
      })),
    });
  });
  return { ...base, accounts, findings: [], conflicts: [] };
}
