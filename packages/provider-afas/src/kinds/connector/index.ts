import type { KindDefinition } from '@roster/core';
import type { AfasConnection } from '../../connection.js';
import { checkConnector } from './checks.js';
import { connectorRunbook } from './runbook.js';
import { connectorSchema } from './spec.js';

/**
 * An AFAS Profit app connector. Everything about it is done in Profit's UI, and no API reads it
 * (`/MetaInfo` shows only the caller's own app connector): every attribute rests on attestation.
 * A new one starts blocked, so `blocked: false` is planned as a create (blocked) and an unblock.
 */
export const connectorKind = {
  schema: connectorSchema,
  description: 'App connector: the user group and connectors an external application may use (UI only).',
  attributes: {
    description: {
      fixedAtCreation: true,
      verifiable: false,
      description:
        'Identifies the app connector; a new description means a new app connector (and new tokens).',
    },
    group: {
      ref: 'Group',
      verifiable: false,
      privilege: true,
      description: 'The user group allowed to use it.',
    },
    getConnectors: {
      set: true,
      verifiable: false,
      privilege: true,
      absent: [],
      description: 'GetConnectors it includes.',
    },
    updateConnectors: {
      set: true,
      verifiable: false,
      privilege: true,
      absent: [],
      description: 'UpdateConnectors it includes.',
    },
    blocked: {
      createValues: [true],
      createAs: true,
      verifiable: false,
      description: 'Blocked; a new app connector starts blocked, so unblocking is its own step.',
    },
  },
  role: 'connector',
  deleteMode: 'delete',
  naturalKey: (spec) => String(spec.description),
  naturalKeyAttribute: 'description',
  check: checkConnector,
  runbook: connectorRunbook,
} satisfies KindDefinition<AfasConnection>;
