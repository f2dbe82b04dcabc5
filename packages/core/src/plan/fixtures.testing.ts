import type { UnmanagedObject } from '../drift/unmanaged.js';
import { declared } from '../kind-fixtures.testing.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import type { StateDocument } from '../state/types.js';
import { assemblePlan, type PlanInput } from './assemble.js';
import type { DesiredResource } from './desired.js';
import { remoteFingerprint } from './remote-fingerprint.js';
import type { DraftChange } from './steps/draft.js';

// Test support shared by the planner and renderer tests: two fake kinds with every rule.

export const account: KindDefinition = {
  description: 'test account',
  role: 'account',
  schema: { type: 'object' },
  attributes: {
    id: { immutable: true },
    status: { createValues: ['active', 'locked'], createAs: 'locked' },
    vendor: { fixedAtCreation: true },
    roles: { ref: 'Role', set: true, privilege: true },
  },
  deleteMode: 'deactivate',
  onRemoveOptions: ['deactivate', 'delete'],
  deactivation: { attribute: 'status', value: 'inactive', activeValue: 'active' },
  ...declared({ create: 'api', read: 'api', update: 'api', delete: 'api' }),
  naturalKey: (spec) => String(spec.id),
  naturalKeyAttribute: 'id',
};
export const role: KindDefinition = {
  description: 'test role',
  role: 'role',
  schema: { type: 'object' },
  attributes: { name: { fixedAtCreation: true } },
  deleteMode: 'delete',
  ...declared({ create: 'api', read: 'api', update: 'api', delete: 'api' }),
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
};
export const kinds: Record<string, KindDefinition> = { Account: account, Role: role };

export function desired(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  extra: Partial<DesiredResource> = {},
): DesiredResource {
  return {
    address: `p/${kind}/${name}`,
    provider: 'p',
    kind,
    name,
    labels: {},
    spec,
    naturalKey: kinds[kind]!.naturalKey(spec),
    lifecycle: {},
    dependencies: [],
    positionOf: (pointer) => ({ file: 'm.yaml', line: pointer.length, column: 3 }),
    ...extra,
  };
}

export function remote(kind: string, objects: RemoteObject[]): PlanInput['remote'] {
  // Every kind of provider `p` listed: `kind` with `objects`, the other empty.
  const perKind = new Map<string, RemoteObject[]>([
    ['Account', []],
    ['Role', []],
  ]);
  perKind.set(kind, objects);
  return new Map([['p', perKind]]);
}

export const emptyState: StateDocument = { version: 1, lineage: 'L', serial: 0, resources: {} };

export function plan(over: Partial<PlanInput>) {
  return assemblePlan({
    mode: 'normal',
    desired: [],
    order: [],
    state: emptyState,
    remote: new Map([
      [
        'p',
        new Map([
          ['Account', []],
          ['Role', []],
        ]),
      ],
    ]),
    kindOf: (_p, k) => kinds[k],
    replace: new Set(),
    providers: [],
    sources: [],
    stats: { apiCalls: 0, apiCallsByProvider: {}, throttled: 0, refreshMs: 0, planMs: 0 },
    diagnostics: [],
    now: new Date('2026-01-01T00:00:00Z'),
    ...over,
  });
}

export const obj = (
  id: string,
  attributes: Record<string, unknown>,
  extra: Partial<RemoteObject> = {},
): RemoteObject => ({
  id,
  naturalKey: String(attributes.id),
  attributes,
  ...extra,
});

export function stateWith(
  address: string,
  o: RemoteObject,
  extra: Partial<StateDocument['resources'][string]> = {},
) {
  const [, kind, name] = address.split('/');
  return {
    ...emptyState,
    serial: 3,
    resources: {
      [address]: {
        provider: 'p',
        kind: kind!,
        name: name!,
        id: o.id,
        naturalKey: o.naturalKey,
        attributes: o.attributes,
        dependencies: [],
        remoteFingerprint: remoteFingerprint(o),
        ...extra,
      },
    },
  };
}

/**
 * The plan for one desired resource whose object `o` state already records and the system lists
 * (with `over` on top, e.g. `replace`).
 */
export function planManaged(d: DesiredResource, o: RemoteObject, over: Partial<PlanInput> = {}) {
  return plan({
    desired: [d],
    order: [d.address],
    state: stateWith(d.address, o),
    remote: remote(d.kind, [o]),
    ...over,
  });
}

/** An Account of provider `p` that no manifest declares, keyed and found by its `id` attribute. */
export function unmanagedAccount(
  objectId: string,
  accountId: string,
  over: Partial<UnmanagedObject> = {},
): UnmanagedObject {
  return {
    address: `p/Account/${accountId}`,
    provider: 'p',
    kind: 'Account',
    id: objectId,
    naturalKey: accountId,
    attributes: { id: accountId },
    ...over,
  };
}

/** A low-risk create with nothing in it yet, as the plan steps draft it. */
export function createDraft(): DraftChange {
  return { action: 'create', reasons: [], before: null, after: {}, operation: 'create', risk: 'low' };
}
