import type { KindDefinition } from '@roster/core';
import type { AutotaskConnection } from '../../connection.js';
import { check } from './checks.js';
import { securityLevelRunbook } from './runbook.js';
import { securityLevelSpec } from './spec.js';

/**
 * An Autotask security level for API users: UI-only, and unreadable by the REST API. The kind has
 * no `api`: every operation is its runbook's, and it is never read, so the engine keeps it from
 * state, attested.
 */
export const securityLevelKind = {
  schema: securityLevelSpec.schema,
  description:
    'Security level for API users: a copy of an API-user level with its own permissions. Made and changed in the Autotask UI only; not readable by the API, so every attribute is attested.',
  attributes: securityLevelSpec.attributes,
  role: 'role',
  deleteMode: 'deactivate',
  deactivation: { attribute: 'active', value: false, activeValue: true },
  runbook: securityLevelRunbook,
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
  check,
} satisfies KindDefinition<AutotaskConnection>;
