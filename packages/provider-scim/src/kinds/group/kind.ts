import type { KindDefinition } from '@roster/core';
import type { ScimConnection } from '../../connection.js';
import { createGroup, deleteGroup, listGroups, readGroup, updateGroup } from './api.js';
import { groupSpec } from './spec.js';

/** Group: a SCIM Group; its members are the ServiceAccounts that name it (other members are left alone). */
export const groupKind: KindDefinition<ScimConnection> = {
  role: 'group',
  description:
    'A SCIM Group (displayName). ServiceAccounts name the groups they belong to; roster adds and removes only those members, never the others.',
  schema: groupSpec.schema,
  attributes: groupSpec.attributes,
  deleteMode: 'delete',
  api: { list: listGroups, read: readGroup, create: createGroup, update: updateGroup, delete: deleteGroup },
  naturalKey: (spec) => String(spec.displayName),
  naturalKeyAttribute: 'displayName',
};
