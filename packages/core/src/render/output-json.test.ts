import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import type { DriftReport } from '../drift/report.js';
import type { UnmanagedObject } from '../drift/unmanaged.js';
import type { FleetRun } from '../fleet/run-fleet.js';
import type { DeviationSummary } from '../fleet/tenant-documents.js';
import type { TenantDriftItem, TenantResult } from '../fleet/tenant-result.js';
import type { FormatRun } from '../format/format-files.js';
import type {
  InventoryAccount,
  InventoryConflict,
  InventoryFinding,
  InventoryReport,
} from '../inventory/types.js';
import type { PlanFile } from '../plan/plan-file.js';
import type { DriftEntry, PlanStats } from '../plan/types.js';
import type { ExportedManifest } from '../project/export-manifests.js';
import type { ImportResult } from '../project/import-object.js';
import type { AccountTest } from '../project/test-accounts.js';
import type { SodReport, SodReportEntry } from '../sod/report.js';
import type { StateDocument, StateResource } from '../state/types.js';
import type { ApplyDocument } from './apply-json.js';
import { driftJson } from './drift-json.js';
import { exportJson } from './export-json.js';
import { type FleetDocument, fleetDocument } from './fleet-json.js';
import { fmtJson } from './fmt-json.js';
import { importJson } from './import-json.js';
import {
  fieldMismatches,
  outputSchema,
  outputValidator,
  schemaErrors,
  schemasDir,
} from './output-schemas.testing.js';
import type { ProviderInfo } from './providers.js';
import type { SandboxServeJson } from './sandbox-json.js';
import { stateListJson, stateShowJson } from './state-json.js';
import { validateJson } from './validate-json.js';
import type { VersionInfo } from './version.js';
import { type WorkspaceShowJson, workspaceListJson } from './workspace-json.js';

// Every fixture fills in every field its type has (`satisfies Required<…>`): a field added to a
// type fails to compile here until the fixture has it, and then fails `fieldMismatches` until the
// schema has it too. A field only in the schema fails `fieldMismatches` the other way.

const diagnostic = {
  severity: 'warning',
  code: 'manifest.schema',
  message: 'spec.emial is not allowed',
  file: 'accounts.yaml',
  line: 3,
  column: 5,
  address: 'intacct-sandbox/ServiceAccount/invoice-portal',
} satisfies Required<Diagnostic>;

const stats = {
  apiCalls: 4,
  apiCallsByProvider: { 'intacct-sandbox': 4 },
  throttled: 0,
  refreshMs: 12,
  planMs: 1,
  refreshMode: 'bulk',
} satisfies Required<PlanStats>;

const changed = {
  address: 'intacct-sandbox/ServiceAccount/invoice-portal',
  provider: 'intacct-sandbox',
  kind: 'ServiceAccount',
  status: 'changed',
  attributes: [{ path: '/status', expected: 'active', actual: 'inactive' }],
  modifiedBy: 'admin',
  modifiedAt: '2026-01-02T03:04:05Z',
} satisfies Required<DriftEntry>;

const unmanaged = {
  address: 'intacct-sandbox/ServiceAccount/WS_LEGACY',
  provider: 'intacct-sandbox',
  kind: 'ServiceAccount',
  id: '77',
  naturalKey: 'WS_LEGACY',
  attributes: { userId: 'WS_LEGACY' },
  modifiedBy: 'admin',
  modifiedAt: '2026-01-02T03:04:05Z',
} satisfies Required<UnmanagedObject>;

const report = {
  formatVersion: 1,
  lineage: 'b7a1',
  serial: 3,
  createdAt: '2026-01-02T03:04:05.000Z',
  classes: { changed: true, deleted: true, unmanaged: true },
  drift: [changed, { ...changed, status: 'deleted', attributes: [] }],
  unmanaged: [unmanaged],
  ignored: { changed: 1, deleted: 0, unmanaged: 2 },
  ignoreFile: '.rosterignore',
  attestations: [],
  diagnostics: [diagnostic],
  stats,
} satisfies Required<DriftReport>;

const resource = {
  provider: 'intacct-sandbox',
  kind: 'ServiceAccount',
  name: 'invoice-portal',
  id: '42',
  naturalKey: 'WS_INVOICE',
  attributes: { userId: 'WS_INVOICE', password: 'hmac-sha256:abc', adminPrivileges: 'off' },
  dependencies: ['intacct-sandbox/Group/integrations'],
  remoteFingerprint: 'sha256:def',
  lifecycle: { preventDestroy: true, onRemove: 'deactivate', ignoreChanges: ['/description'] },
  appliedAt: '2026-01-02T03:04:05Z',
  attestations: { adminPrivileges: { by: 'alice', at: '2026-01-02T03:04:05Z', via: 'runbook' } },
  credentialsIssuedAt: '2026-01-02T03:04:05Z',
  lastSignInAt: '2026-01-03T03:04:05Z',
} satisfies Required<StateResource> & { lifecycle: Required<NonNullable<StateResource['lifecycle']>> };

const stateDoc: StateDocument = { version: 1, lineage: 'b7a1', serial: 3, resources: { a: resource } };

const providerInfo = {
  type: 'intacct',
  displayName: 'Sage Intacct',
  description: 'Web services users, roles and groups',
  kinds: [
    {
      kind: 'ServiceAccount',
      description: 'A web services user',
      role: 'account',
      operations: { create: 'api', read: 'api', update: 'api', delete: 'none' },
      removal: 'deactivate (status: "inactive")',
      naturalKey: 'userId',
      attributes: [
        {
          name: 'adminPrivileges',
          provenance: 'attested',
          update: 'manual',
          rules: ['privilege', 'absent: "off"'],
          description: 'Company admin rights',
        },
      ],
    },
  ],
  policies: [{ id: 'intacct.no-admin', severity: 'error', description: 'No admin service accounts' }],
} satisfies Required<ProviderInfo>;

const accountTest = {
  address: 'intacct-sandbox/ServiceAccount/invoice-portal',
  system: 'intacct-sandbox (intacct)',
  status: 'fail',
  authenticated: true,
  permission: { ok: false, checked: 'read GLACCOUNT' },
  lastRotation: '2026-01-02T03:04:05Z',
  message: 'permission denied',
} satisfies Required<AccountTest>;

const formatRun = {
  changed: ['group.yaml'],
  checked: 2,
  diagnostics: [diagnostic],
} satisfies Required<FormatRun>;

const imported = {
  address: 'intacct-sandbox/ServiceAccount/invoice-portal',
  id: '42',
  naturalKey: 'WS_INVOICE',
  resource,
  unverifiable: ['adminPrivileges'],
  differing: ['description'],
} satisfies Required<ImportResult>;

const manifest = {
  kind: 'ServiceAccount',
  name: 'ws-invoice',
  naturalKey: 'WS_INVOICE',
  spec: { userId: 'WS_INVOICE' },
  placeholders: ['adminPrivileges'],
} satisfies Required<ExportedManifest>;

const version = {
  roster: '1.2.3',
  node: 'v20.5.0',
  providers: [
    { type: 'intacct', displayName: 'Sage Intacct', package: '@roster/provider-intacct', version: '1.2.3' },
  ],
} satisfies Required<VersionInfo>;

const sodConflict = {
  pack: 'finance',
  version: 1,
  rule: 'ap-vendor-payment',
  system: 'intacct',
  address: 'getint/Connector/intacct-ap',
  via: 'intacct-sandbox',
  held: [{ pattern: 'accountsPayable/vendors: add', permissions: ['accountsPayable/vendors: add'] }],
  reason: 'one account could create a vendor and pay it',
  pointer: '/spec/roles/0',
  severity: 'error',
  message: 'getint/Connector/intacct-ap holds …',
  file: 'getint.yaml',
  line: 3,
  column: 5,
  excepted: { reason: 'until 2027-01', file: 'policy.yaml', line: 9 },
} satisfies Required<SodReportEntry>;

const sodReport = {
  formatVersion: 1,
  packs: [{ id: 'finance', version: 1, rules: 8, severity: 'error' }],
  conflicts: [sodConflict],
  diagnostics: [diagnostic],
} satisfies Required<SodReport>;

const inventoryAccount = {
  address: 'intacct-sandbox/ServiceAccount/invoice-portal',
  name: 'invoice-portal',
  system: 'intacct',
  provider: 'intacct-sandbox',
  kind: 'ServiceAccount',
  role: 'account',
  status: 'managed',
  id: '42',
  naturalKey: 'WS_INVOICE_PORTAL',
  owner: 'finance-it',
  backupOwner: 'controller',
  purpose: 'invoice-sync',
  labels: { owner: 'finance-it', 'backup-owner': 'controller', purpose: 'invoice-sync' },
  roles: ['AP Sync'],
  permissions: [
    { name: 'accountsPayable/bills: add', escalates: false, via: ['intacct-sandbox/Role/ap-sync'] },
  ],
  credentials: {
    issuedAt: '2026-01-02T03:04:05.000Z',
    ageDays: 3,
    rotateAfterDays: 365,
    rotationDue: '2027-01-02',
  },
  attestation: { at: '2026-01-02T03:04:05.000Z', by: 'ops', ageDays: 3 },
  drift: 'in-sync',
  lastUsed: {
    at: null,
    source: null,
    field: 'userinfo lastLoginDate',
    unknownReason: 'userinfo lastLoginDate is empty',
  },
  file: 'intacct-accounts.yaml',
  line: 5,
  column: 9,
} satisfies Required<InventoryAccount>;

const inventoryFinding = {
  rule: 'inventory.no-owner',
  severity: 'warning',
  address: inventoryAccount.address,
  message: 'has no labels.owner',
  file: 'intacct-accounts.yaml',
  line: 5,
  column: 9,
  excepted: { reason: 'owned by the vendor', file: 'policy.yaml', line: 7 },
} satisfies Required<InventoryFinding>;

const inventoryConflict = {
  address: inventoryAccount.address,
  rule: 'ap-bill-entry-approval',
  pack: 'finance',
  message: 'holds both',
  severity: 'error',
  permissions: ['accountsPayable/bills: add', 'accountsPayable/approveBills: approvalLevel1'],
  file: 'intacct-accounts.yaml',
  line: 17,
  column: 11,
  excepted: { reason: 'until 2027-01', file: 'policy.yaml', line: 9 },
} satisfies Required<InventoryConflict>;

const inventory = {
  formatVersion: 1,
  generatedAt: '2026-01-05T03:04:05.000Z',
  staleAfterDays: 90,
  accounts: [inventoryAccount],
  findings: [inventoryFinding],
  conflicts: [inventoryConflict],
  diagnostics: [diagnostic],
} satisfies Required<InventoryReport>;

/** Each `--format json` schema, with a document built from full fixtures by the command's builder. */
const applied = {
  formatVersion: 1,
  outcome: 'pending',
  exitCode: 3,
  meaning: 'every API change was applied; manual steps are pending (see manualSteps and the runbook)',
  mode: 'normal',
  planHash: `sha256:${'a'.repeat(64)}`,
  counts: { done: 1, failed: 0, skipped: 0, pending: 1 },
  changes: [
    {
      address: 'intacct-sandbox/ServiceAccount/invoice-portal',
      provider: 'intacct-sandbox',
      kind: 'ServiceAccount',
      action: 'create',
      execution: 'manual',
      outcome: 'pending',
      id: '42',
      message: 'manual step: a person does it in the system',
    },
  ],
  manualSteps: [
    {
      address: 'intacct-sandbox/ServiceAccount/invoice-portal',
      operation: 'create',
      title: 'Create the API user invoice-portal',
      reason: 'manual step: a person does it in the system',
    },
  ],
  waiting: [
    {
      address: 'intacct-sandbox/Group/integrations',
      reason: 'waits for intacct-sandbox/ServiceAccount/invoice-portal',
    },
  ],
  runbook: '/p/.roster/runbook.md',
  stateError: 'disk full',
} satisfies Required<ApplyDocument>;

const deviation = {
  address: 'autotask/SecurityLevel/rmm-api',
  exclude: false,
  reason: 'service desk policy',
  owner: 'noc@msp.example',
  expires: '2027-06-30',
  expired: false,
  file: 'tenants/globex/deviations.yaml',
  line: 7,
} satisfies Required<DeviationSummary>;

const tenantDrift = {
  address: 'autotask/ServiceAccount/backup',
  kind: 'ServiceAccount',
  name: 'backup',
  resource: 'backup',
  status: 'changed',
  attribute: '/active',
  expected: true,
  actual: false,
} satisfies Required<TenantDriftItem>;

const tenantResult = {
  tenant: 'globex',
  command: 'drift',
  exitCode: 2,
  outcome: 'drift',
  changes: 1,
  planned: [{ address: 'autotask/ServiceAccount/backup', action: 'update', execution: 'api' }],
  summary: { create: 0, update: 1, replace: 0, deactivate: 0, delete: 0, rotate: 0, import: 0, manual: 0 },
  manualSteps: 0,
  blockingFindings: 0,
  drift: [tenantDrift],
  drifted: 1,
  deviations: [deviation],
  alignment: { applicable: 4, aligned: 2, percent: 50 },
  diagnostics: [diagnostic],
  error: 'cannot connect',
  finishedAt: '2026-01-02T03:04:05.000Z',
} satisfies Required<TenantResult>;

const fleetRun = {
  command: 'apply',
  fleet: 'msp-standard',
  results: [tenantResult],
  notRun: [{ tenant: 'initech', reason: 'canary-failed' }],
  canary: ['globex'],
  runId: '0123456789abcdef',
  resumed: false,
  diagnostics: [diagnostic],
} satisfies Required<FleetRun>;

const documents: Record<string, unknown> = {
  'fleet-run': {
    ...fleetDocument(fleetRun),
    jobs: [{ tenant: 'globex', state: 'failed', attempts: 4, error: 'its worker is gone' }],
  } satisfies FleetDocument,
  apply: applied,
  drift: driftJson(report),
  providers: [providerInfo],
  test: [accountTest],
  validate: validateJson({
    files: ['accounts.yaml'],
    providers: new Set(['intacct-sandbox']),
    resources: [resource.provider],
    diagnostics: [diagnostic],
  }),
  'state-list': stateListJson(stateDoc, ['a']),
  'state-show': stateShowJson('a', resource, { userId: 'verified' }),
  'workspace-list': workspaceListJson('default', ['default', 'staging']),
  'workspace-show': { workspace: 'staging' } satisfies Required<WorkspaceShowJson>,
  fmt: fmtJson(formatRun, true),
  import: importJson('ServiceAccount', imported),
  export: exportJson({
    provider: 'intacct-sandbox',
    kind: 'ServiceAccount',
    files: [{ path: 'out/intacct-sandbox-service-account.yaml', kind: 'ServiceAccount', count: 1 }],
    manifests: [manifest],
    notes: [{ kind: 'Group', message: 'Group: the system cannot list groups' }],
  }),
  version,
  sod: sodReport,
  inventory,
  'sandbox-serve': {
    provider: 'intacct-sandbox',
    type: 'intacct',
    url: 'http://127.0.0.1:8080',
    consoleTokenFile: '/tmp/p/.roster/sandbox/intacct-sandbox/console-token',
  } satisfies Required<SandboxServeJson>,
};

/** The first object of a document (the document, or its first item for array documents). */
const firstObject = (doc: unknown): Record<string, unknown> =>
  (Array.isArray(doc) ? doc[0] : doc) as Record<string, unknown>;

describe('--format json schemas (schemas/*.schema.json)', () => {
  it('cover every command schema under schemas/ (the manifest schemas aside)', () => {
    const manifestSchemas = ['manifest', 'Backend', 'Policy', 'Fleet', 'Tenant', 'plan'];
    const files = readdirSync(schemasDir)
      .filter((f) => f.endsWith('.schema.json'))
      .map((f) => f.replace('.schema.json', ''))
      .filter((f) => !manifestSchemas.includes(f));
    expect(files.sort()).toEqual(Object.keys(documents).sort());
  });

  for (const [name, doc] of Object.entries(documents)) {
    describe(name, () => {
      const validate = outputValidator(name);
      it('accepts the document its builder makes, which has exactly the fields the schema defines', () => {
        expect(validate(doc), schemaErrors(validate)).toBe(true);
        expect(fieldMismatches(name, doc)).toEqual([]);
      });
      it('refuses an unknown field and a missing required one', () => {
        const extra = Array.isArray(doc)
          ? [{ ...firstObject(doc), extra: 1 }]
          : { ...firstObject(doc), extra: 1 };
        expect(validate(extra)).toBe(false);
        const required = (validate.schema as { required?: string[]; items?: { required?: string[] } })
          .required?.[0];
        const without = { ...firstObject(doc) };
        delete without[required ?? Object.keys(without)[0]!];
        expect(validate(Array.isArray(doc) ? [without] : without)).toBe(false);
      });
    });
  }

  it('fieldMismatches finds a field the schema lacks and one the document lacks', () => {
    const { ignoreFile: _dropped, ...withoutOptional } = driftJson(report);
    expect(fieldMismatches('drift', { ...withoutOptional, extra: 1 })).toEqual([
      ': schema field ignoreFile not in document',
      ': document field extra not in schema',
    ]);
    expect(fieldMismatches('drift', { ...driftJson(report), stats: { ...stats, more: 1 } })).toEqual([
      '/stats: document field more not in schema',
    ]);
  });

  it('plan.schema.json defines every top-level field of a saved plan (PlanFile), and no other', () => {
    // An object literal with exactly PlanFile's keys: a key added to or dropped from the type fails
    // to compile here. The plan schema stays open (its formatVersion governs growth); its top level
    // is compared with the type instead.
    const keys = {
      formatVersion: true,
      mode: true,
      lineage: true,
      serial: true,
      createdAt: true,
      summary: true,
      changes: true,
      drift: true,
      attestations: true,
      findings: true,
      permissions: true,
      diagnostics: true,
      stats: true,
      sources: true,
      blockedReplacements: true,
      forget: true,
      accept: true,
      providers: true,
      checksum: true,
      signature: true,
    } satisfies Record<keyof PlanFile, true>;
    const defined = Object.keys(outputSchema('plan').properties as object);
    expect(defined.sort()).toEqual(Object.keys(keys).sort());
  });
});
