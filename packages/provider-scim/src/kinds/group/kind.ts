import type { KindDefinition } from '@roster/core';
import { groupSpec } from './spec.js';

/** Group: a SCIM Group; its members are the ServiceAccounts that name it (other members are left alone). */
export const groupKind: KindDefinition = {
  role: 'group',
  description:
    'A SCIM Group (displayName). ServiceAccounts name the groups they belong to; roster adds and removes only those members, never the others.',
  schema: groupSpec.schema,
  attributes: groupSpec.attributes,
  deleteMode: 'delete',
  capabilities: { create: 'api', read: 'api', update: 'api', delete: 'api' },
  naturalKey: (spec) => String(spec.displayName),
  naturalKeyAttribute: 'displayName',
};
