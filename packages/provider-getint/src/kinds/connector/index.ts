import type { KindDefinition } from '@roster/core';
import { connectorPermissions, connectorUpdateSteps } from './checks.js';
import { connectorRunbook } from './runbook.js';
import { connectorSpec } from './spec.js';

/**
 * A Getint connection. Getint has no management API, so the kind has no `api`: every operation is
 * a step of its runbook, and connections are kept from state (not readable).
 */
export const connectorKind: KindDefinition = {
  description: 'Getint connection: the account Getint signs in to one tool with. Made in Getint’s UI only.',
  schema: connectorSpec.schema,
  attributes: connectorSpec.attributes,
  role: 'connector',
  deleteMode: 'delete',
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
  permissions: connectorPermissions,
  updateSteps: connectorUpdateSteps,
  runbook: connectorRunbook,
};
