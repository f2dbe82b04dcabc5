import type { KindDefinition } from '@roster/core';
import type { IntacctConnection } from '../../connection.js';
import { serviceAccountApi } from './api.js';
import { check, serviceAccountPermissions, updateSteps } from './checks.js';
import { RESET_BREAKS, serviceAccountRunbook } from './runbook.js';
import { serviceAccountSpec } from './spec.js';

/** A Sage Intacct web services user: everything by API but the password reset, which is done by hand. */
export const serviceAccountKind = {
  schema: serviceAccountSpec.schema,
  description: 'Web services user: an API-only Intacct user an integration signs in as.',
  attributes: serviceAccountSpec.attributes,
  role: 'account',
  deleteMode: 'deactivate',
  onRemoveOptions: ['deactivate', 'delete'],
  deactivation: { attribute: 'status', value: 'inactive', activeValue: 'active' },
  api: serviceAccountApi,
  runbook: serviceAccountRunbook,
  naturalKey: (spec) => String(spec.id),
  naturalKeyAttribute: 'id',
  check,
  updateSteps,
  rotationWarning: { code: 'intacct.password-reset', message: RESET_BREAKS },
  permissions: serviceAccountPermissions,
} satisfies KindDefinition<IntacctConnection>;
