import type { KindDefinition } from '@roster/core';
import type { IntacctConnection } from '../../connection.js';
import { groupApi } from './api.js';
import { groupSpec } from './spec.js';

/** A Sage Intacct user group: everything by API. */
export const groupKind = {
  schema: groupSpec.schema,
  description: 'User group: users that share roles.',
  attributes: groupSpec.attributes,
  role: 'group',
  deleteMode: 'delete',
  api: groupApi,
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
} satisfies KindDefinition<IntacctConnection>;
