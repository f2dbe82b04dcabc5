import type { KindDefinition } from '@roster/core';
import type { IntacctConnection } from '../../connection.js';
import { securityLevelApi } from './api.js';
import { check } from './checks.js';
import { securityLevelSpec } from './spec.js';

/** A Sage Intacct role: everything by API. */
export const securityLevelKind = {
  schema: securityLevelSpec.schema,
  description: 'Role: a named set of permissions given to users and user groups.',
  attributes: securityLevelSpec.attributes,
  role: 'role',
  deleteMode: 'delete',
  api: securityLevelApi,
  check,
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
} satisfies KindDefinition<IntacctConnection>;
