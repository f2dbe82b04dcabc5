import type { KindDefinition } from '@roster/core';
import type { ProlianceConnection } from '../../connection.js';
import { securityLevelApi } from './api.js';
import { checkSecurityLevel } from './checks.js';
import { securityLevelRunbook } from './runbook.js';
import { securityLevelSpec } from './spec.js';

/**
 * A Proliance security role. Created, changed and deleted by hand (Proliance has no public API);
 * read from the Security Roles register export, so every attribute is verified.
 */
export const securityLevelKind = {
  schema: securityLevelSpec.schema,
  description:
    'Security role: rights per permission area, and whether it grants Security Permissions. Made by hand; read from the Security Roles register export.',
  attributes: securityLevelSpec.attributes,
  role: 'role',
  deleteMode: 'delete',
  onRemoveOptions: ['delete'],
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
  api: securityLevelApi,
  check: checkSecurityLevel,
  runbook: securityLevelRunbook,
} satisfies KindDefinition<ProlianceConnection>;
