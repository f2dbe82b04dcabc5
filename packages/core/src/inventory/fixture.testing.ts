/**
 * Test support for the inventory: two systems as core sees them, with no real provider's names.
 * `books` (type `ledger`): accounts hold the grants of their roles (`roles: [{ref}]`), nothing
 * while `status: inactive` (their deactivated value), and the system records their last sign-in
 * (`lastLogin`). `hub` (type `sync`): connections the system cannot list, holding what the account
 * they sign in as holds (`<provider>: <grant>`), as connector kinds name them.
 */
import { declared } from '../kind-fixtures.testing.js';
import { compileGlob } from '../match/glob.js';
import type { Permission } from '../permissions/types.js';
import type { DesiredResource } from '../plan/desired.js';
import type { Plan } from '../plan/types.js';
import { defaultPolicySettings, type PolicySettings } from '../policy/config.js';
import type { ConfiguredProvider } from '../project/project.js';
import type { KindDefinition, Provider, RemoteObject } from '../provider.js';
import type { SodPack } from '../sod/types.js';
import type { StateDocument, StateResource } from '../state/types.js';
import { INVENTORY_POLICIES } from './findings/rules.js';

const refs = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const accountKind: KindDefinition = {
  description: 'account',
  role: 'account',
  schema: {},
  attributes: {
    roles: { ref: 'Role', set: true, privilege: true },
    credentials: { local: true },
  },
  deleteMode: 'deactivate',
  deactivation: { attribute: 'status', value: 'inactive', activeValue: 'active' },
  // roster test can sign in as its accounts (a test method; unit tests never call it).
  api: {
    ...declared({ create: 'api', read: 'api', update: 'api', delete: 'none' }).api,
    test: () => Promise.reject(new Error('not called in unit tests')),
  },
  runbook: declared({}).runbook,
  naturalKey: (s) => String(s.id),
  naturalKeyAttribute: 'id',
  lastUsed: { field: 'lastLogin', source: 'ledger API reference' },
  permissions: ({ resource, world }) => {
    if (resource.attributes.status === 'inactive') return [];
    return refs(resource.attributes.roles).flatMap((ref): Permission[] => {
      const role = world.resolve(resource, 'Role', ref);
      return role ? refs(role.attributes.grants).map((g) => ({ name: String(g), via: [role.address] })) : [];
    });
  },
};

export const roleKind: KindDefinition = {
  description: 'role',
  role: 'role',
  schema: {},
  attributes: {},
  deleteMode: 'delete',
  ...declared({ create: 'api', read: 'api', update: 'api', delete: 'api' }),
  naturalKey: (s) => String(s.id),
  naturalKeyAttribute: 'id',
};

export const connectorKind: KindDefinition = {
  description: 'connection',
  role: 'connector',
  schema: {},
  attributes: { credentials: { local: true } },
  deleteMode: 'delete',
  // The system cannot list its connections: they are known from state.
  ...declared({ create: 'manual', read: 'none', update: 'manual', delete: 'manual' }),
  naturalKey: (s) => String(s.name),
  naturalKeyAttribute: 'name',
  permissions: ({ resource, world }) => {
    const target = world.resolve(resource, 'ServiceAccount', resource.attributes.account);
    if (!target) return [];
    return world.permissionsOf(target).map((p) => ({
      ...p,
      name: `${target.provider}: ${p.name}`,
      via: [target.address, ...(p.via ?? [])],
    }));
  },
};

export const kindOf = (provider: string, kind: string): KindDefinition | undefined =>
  provider === 'books'
    ? kind === 'ServiceAccount'
      ? accountKind
      : kind === 'Role'
        ? roleKind
        : undefined
    : provider === 'hub' && kind === 'Connector'
      ? connectorKind
      : undefined;

export const financePack: SodPack = {
  id: 'finance',
  version: 1,
  rules: [
    {
      id: 'enter-approve',
      system: 'ledger',
      permissions: ['bills: add', 'bills: approve'],
      reason: 'one account could enter and approve a bill',
      source: 'test',
    },
  ],
};

const provider = (type: string, kinds: Record<string, KindDefinition>, sod?: SodPack): Provider => ({
  type,
  displayName: type,
  description: type,
  configSchema: {},
  kinds,
  ...(sod ? { sodRules: [sod] } : {}),
  connect: () => Promise.reject(new Error('not connected in unit tests')),
});

export const providers = new Map<string, ConfiguredProvider>([
  [
    'books',
    {
      name: 'books',
      provider: provider('ledger', { ServiceAccount: accountKind, Role: roleKind }, financePack),
    } as ConfiguredProvider,
  ],
  ['hub', { name: 'hub', provider: provider('sync', { Connector: connectorKind }) } as ConfiguredProvider],
]);

/** A declared resource; its `metadata.name` is at line `line`, column 9 of `<provider>.yaml`. */
export function desired(
  provider: string,
  kind: string,
  name: string,
  naturalKey: string,
  spec: Record<string, unknown>,
  labels: Record<string, string>,
  line: number,
): DesiredResource {
  return {
    address: `${provider}/${kind}/${name}`,
    provider,
    kind,
    name,
    labels,
    spec,
    naturalKey,
    lifecycle: {},
    dependencies: [],
    positionOf: (pointer) =>
      pointer === '/metadata/name' ? { file: `${provider}.yaml`, line, column: 9 } : undefined,
  };
}

export function stateEntry(
  provider: string,
  kind: string,
  name: string,
  id: string,
  naturalKey: string,
  attributes: Record<string, unknown>,
  extra: Partial<StateResource> = {},
): StateResource {
  return { provider, kind, name, id, naturalKey, attributes, dependencies: [], ...extra };
}

export const remoteObject = (
  id: string,
  naturalKey: string,
  attributes: Record<string, unknown>,
  extra: Partial<RemoteObject> = {},
): RemoteObject => ({ id, naturalKey, attributes, ...extra });

export const NOW = new Date('2026-06-30T12:00:00Z');

/**
 * The world of most tests: in `books`, the managed `clerk` (AP role), an account added by hand
 * (`HAND`, AP and approver roles: a conflict), one deactivated by hand (`OLD`), a standard user the
 * system lists with a conflict (left out), and `gone` (in state, deleted outside roster); in `hub`,
 * the connection `sync-ap` signing in as `clerk`.
 */
export function world() {
  const desiredResources = [
    desired(
      'books',
      'ServiceAccount',
      'clerk',
      'WS_CLERK',
      { id: 'WS_CLERK', roles: [{ ref: 'ap' }], credentials: { secret: 'x', rotateAfterDays: 30 } },
      { owner: 'finance-it', 'backup-owner': 'controller', purpose: 'invoices' },
      4,
    ),
    desired('books', 'Role', 'ap', 'AP', { id: 'AP', grants: ['bills: add'] }, {}, 20),
    desired(
      'hub',
      'Connector',
      'sync-ap',
      'Sync AP',
      { name: 'Sync AP', account: { ref: 'books/ServiceAccount/clerk' } },
      {},
      3,
    ),
  ];
  const state: StateDocument = {
    version: 1,
    lineage: 'l',
    serial: 3,
    resources: {
      'books/ServiceAccount/clerk': stateEntry(
        'books',
        'ServiceAccount',
        'clerk',
        '1',
        'WS_CLERK',
        { id: 'WS_CLERK', roles: [{ ref: 'AP' }] },
        {
          credentialsIssuedAt: '2026-06-10T08:00:00Z',
          attestations: {
            vendor: { by: 'ops', at: '2026-05-01T00:00:00Z', via: 'operator' },
            note: { by: 'ana', at: '2026-06-01T00:00:00Z', via: 'runbook' },
          },
        },
      ),
      'books/Role/ap': stateEntry('books', 'Role', 'ap', '10', 'AP', { id: 'AP' }),
      'books/ServiceAccount/gone': stateEntry('books', 'ServiceAccount', 'gone', '5', 'WS_GONE', {
        id: 'WS_GONE',
      }),
      'hub/Connector/sync-ap': stateEntry(
        'hub',
        'Connector',
        'sync-ap',
        'c-1',
        'Sync AP',
        { name: 'Sync AP', account: { ref: 'books/ServiceAccount/clerk' } },
        { lastSignInAt: '2026-06-29T00:00:00Z' },
      ),
    },
  };
  const remote = new Map([
    [
      'books',
      new Map([
        [
          'ServiceAccount',
          [
            remoteObject(
              '1',
              'WS_CLERK',
              { id: 'WS_CLERK', roles: [{ ref: 'AP' }], status: 'active' },
              { lastUsedAt: '2026-06-28T09:00:00Z' },
            ),
            remoteObject('9', 'HAND', { id: 'HAND', roles: [{ ref: 'AP' }, { ref: 'APPROVE' }] }),
            remoteObject(
              '8',
              'OLD',
              { id: 'OLD', roles: [{ ref: 'AP' }], status: 'inactive' },
              { deactivated: true, lastUsedAt: '2025-01-01T00:00:00Z' },
            ),
            remoteObject('7', 'admin', { id: 'admin' }, { conflict: 'a standard user' }),
          ],
        ],
        [
          'Role',
          [
            remoteObject('10', 'AP', { id: 'AP', grants: ['bills: add'] }),
            remoteObject('11', 'APPROVE', { id: 'APPROVE', grants: ['bills: approve'] }),
          ],
        ],
      ]),
    ],
    ['hub', new Map()],
  ]);
  return { desired: desiredResources, state, remote };
}

/** Default settings of the inventory rules, with `exceptions` of `[rule, address pattern]`. */
export function settings(exceptions: Array<[string, string]> = []): PolicySettings {
  const s = defaultPolicySettings(INVENTORY_POLICIES);
  for (const [i, [rule, address]] of exceptions.entries())
    s.exceptions.push({
      rule,
      address,
      reason: 'accepted in a test',
      position: { file: 'policy.yaml', line: 10 + i, column: 7 },
      matcher: compileGlob(address),
    });
  return s;
}

/** A refresh-only plan with the given drift (all the builder reads of it). */
export function refreshPlan(drift: Plan['drift'] = []): Plan {
  return { drift, diagnostics: [] } as unknown as Plan;
}
