import type { KindDefinition } from '@roster/core';
import type { AfasConnection } from '../../connection.js';
import { groupApi } from './api.js';
import { groupRunbook } from './runbook.js';
import { groupSpec } from './spec.js';

/**
 * An AFAS Profit user group. Created, changed and deleted by hand in the Authorisation tool (the
 * seed's procedure); read through the user-groups GetConnector. KnUser can create a group while
 * linking a user (MtCd 3), but that needs a user and skips the Authorisation tool's review, so
 * roster leaves creation to the operator.
 */
export const groupKind = {
  schema: groupSpec.schema,
  description: 'User group (Authorisation tool): the members an app connector allows.',
  attributes: groupSpec.attributes,
  role: 'group',
  deleteMode: 'delete',
  api: groupApi,
  naturalKey: (spec) => String(spec.id),
  naturalKeyAttribute: 'id',
  runbook: groupRunbook,
} satisfies KindDefinition<AfasConnection>;
