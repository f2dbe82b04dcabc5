import type { KindDefinition } from '@roster/core';
import type { AfasConnection } from '../../connection.js';
import { checkConnector } from './checks.js';
import { connectorRunbook } from './runbook.js';
import { connectorSpec } from './spec.js';

/**
 * An AFAS Profit app connector. Everything about it is done in Profit's UI, and no API reads it
 * (`/MetaInfo` shows only the caller's own app connector): every attribute rests on attestation.
 * A new one starts blocked, so `blocked: false` is planned as a create (blocked) and an unblock.
 */
export const connectorKind = {
  schema: connectorSpec.schema,
  description: 'App connector: the user group and connectors an external application may use (UI only).',
  attributes: connectorSpec.attributes,
  role: 'connector',
  deleteMode: 'delete',
  naturalKey: (spec) => String(spec.description),
  naturalKeyAttribute: 'description',
  check: checkConnector,
  runbook: connectorRunbook,
} satisfies KindDefinition<AfasConnection>;
