import type { KindDefinition } from '@roster/core';
import type { ProlianceConnection } from '../../connection.js';
import { ownerKey } from '../common.js';
import { serviceAccountApi } from './api.js';
import { serviceAccountPermissions } from './checks.js';
import { serviceAccountRunbook } from './runbook.js';
import { serviceAccountSpec } from './spec.js';

/**
 * A Proliance integration account: made by hand on an existing, active staff member or contact,
 * from the Organization work area (the seed's procedure), with a security category and roles.
 * Identified by its owner (one account per document). Read from the Accounts register export.
 * It cannot log on, so it has no credentials and no `roster test`; removal deactivates it.
 */
export const serviceAccountKind = {
  schema: serviceAccountSpec.schema,
  description:
    'Integration account on a staff member or contact: security category, roles and the external system it serves. Made by hand; read from the Accounts register export; cannot log on.',
  attributes: serviceAccountSpec.attributes,
  role: 'account',
  deleteMode: 'deactivate',
  onRemoveOptions: ['deactivate'],
  deactivation: { attribute: 'active', value: false, activeValue: true },
  outputs: { accountName: { description: 'The account name, as Proliance shows it.' } },
  untestable: 'an integration account cannot log on to Proliance, so roster cannot sign in as it',
  naturalKey: (spec) => ownerKey(spec.owner),
  naturalKeyAttribute: 'owner',
  api: serviceAccountApi,
  runbook: serviceAccountRunbook,
  permissions: serviceAccountPermissions,
} satisfies KindDefinition<ProlianceConnection>;
