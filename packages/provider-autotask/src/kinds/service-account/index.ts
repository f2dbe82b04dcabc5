import type { KindDefinition } from '@roster/core';
import type { AutotaskConnection } from '../../connection.js';
import { serviceAccountApi } from './api.js';
import { check, serviceAccountPermissions } from './checks.js';
import { serviceAccountRunbook } from './runbook.js';
import { normalizeEmail, serviceAccountSpec } from './spec.js';

/**
 * An Autotask API user: created in the UI (a runbook step), read and updated by API (names, e-mail,
 * active), its secret generated in the UI only (Edit › Generate Secret, shown once).
 */
export const serviceAccountKind = {
  schema: serviceAccountSpec.schema,
  description:
    'API user: an API-only Autotask resource an integration signs in as. Created in the UI (manual step); names, e-mail and active read and updated by API; security level, integration vendor and locked attested.',
  attributes: serviceAccountSpec.attributes,
  role: 'account',
  deleteMode: 'deactivate',
  deactivation: { attribute: 'active', value: false, activeValue: true },
  api: serviceAccountApi,
  runbook: serviceAccountRunbook,
  outputs: {
    username: { description: 'The Username (Key) Autotask generated: what the integration signs in with.' },
  },
  naturalKey: (spec) => normalizeEmail(spec.email),
  naturalKeyAttribute: 'email',
  check,
  permissions: serviceAccountPermissions,
} satisfies KindDefinition<AutotaskConnection>;
