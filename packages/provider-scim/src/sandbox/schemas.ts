import type { ResourceRules } from './patch.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Attr = [name: string, type: string, multi: boolean, mutability: string, extra?: Record<string, unknown>];

const attribute = ([name, type, multiValued, mutability, extra]: Attr) => ({
  name,
  type,
  multiValued,
  required: false,
  caseExact: false,
  mutability,
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

/** The attributes the sandbox serves, from RFC 7643 §8.7.1 (a subset: what roster and its tests use). */
const ATTRIBUTES: Record<string, Attr[]> = {
  [USER]: [
    ['userName', 'string', false, 'readWrite', { required: true, uniqueness: 'server' }],
    ['name', 'complex', false, 'readWrite'],
    ['displayName', 'string', false, 'readWrite'],
    ['userType', 'string', false, 'readWrite'],
    ['active', 'boolean', false, 'readWrite'],
    ['password', 'string', false, 'writeOnly', { returned: 'never' }],
    ['emails', 'complex', true, 'readWrite'],
    ['phoneNumbers', 'complex', true, 'readWrite'],
    ['roles', 'complex', true, 'readWrite'],
    ['entitlements', 'complex', true, 'readWrite'],
    ['groups', 'complex', true, 'readOnly'],
  ],
  [GROUP]: [
    ['displayName', 'string', false, 'readWrite', { required: true }],
    ['members', 'complex', true, 'readWrite'],
  ],
  [ENTERPRISE]: [
    ['employeeNumber', 'string', false, 'readWrite'],
    ['costCenter', 'string', false, 'readWrite'],
    ['organization', 'string', false, 'readWrite'],
    ['division', 'string', false, 'readWrite'],
    ['department', 'string', false, 'readWrite'],
    ['manager', 'complex', false, 'readWrite'],
  ],
};

/**
 * The `/Schemas` documents. `immutable` names core User attributes this sandbox treats as RFC 7643
 * `immutable` (none by default; a test turns `externalId` immutable to see roster refuse a change).
 */
export function schemaDocuments(immutable: readonly string[]): Record<string, unknown>[] {
  const common: Attr[] = [['externalId', 'string', false, 'readWrite', { caseExact: true }]];
  return Object.entries(ATTRIBUTES).map(([id, attrs]) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id,
    name: id.split(':').at(-1),
    attributes: [...attrs, ...(id === ENTERPRISE ? [] : common)].map((a) =>
      attribute(id === USER && immutable.includes(a[0]) ? [a[0], a[1], a[2], 'immutable', a[4]] : a),
    ),
    meta: { resourceType: 'Schema', location: `/Schemas/${id}` },
  }));
}

export const RESOURCE_TYPES = [
  {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    schema: USER,
    schemaExtensions: [{ schema: ENTERPRISE, required: false }],
  },
  { id: 'Group', name: 'Group', endpoint: '/Groups', schema: GROUP },
].map((t) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
  ...t,
  meta: { resourceType: 'ResourceType', location: `/ResourceTypes/${t.id}` },
}));

/** What PATCH needs to know of each resource type. */
export function resourceRules(immutable: readonly string[]): Record<'Users' | 'Groups', ResourceRules> {
  const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
  return {
    Users: {
      multi: lower(['emails', 'phoneNumbers', 'roles', 'entitlements', 'groups', 'schemas']),
      readOnly: lower(['id', 'meta', 'groups']),
      required: lower(['userName']),
      immutable: lower([...immutable]),
    },
    Groups: {
      multi: lower(['members', 'schemas']),
      readOnly: lower(['id', 'meta']),
      required: lower(['displayName']),
      immutable: new Set(),
    },
  };
}

export const SCHEMA_OF = { Users: USER, Groups: GROUP } as const;
