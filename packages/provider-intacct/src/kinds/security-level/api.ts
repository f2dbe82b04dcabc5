import type { KindApi } from '@roster/core';
import type { IntacctConnection } from '../../connection.js';
import {
  createSecurityLevel,
  deleteSecurityLevel,
  listSecurityLevels,
  readSecurityLevel,
  updateSecurityLevel,
} from './roles.js';

/** A role's operations by API. */
export const securityLevelApi = {
  list: async ({ connection }) => ({ objects: await listSecurityLevels(connection.client) }),
  read: async ({ connection, id }) => ({ object: await readSecurityLevel(connection.client, id) }),
  create: async ({ connection, attributes, idempotencyKey }) => ({
    object: await createSecurityLevel(connection.client, attributes, idempotencyKey),
  }),
  update: async ({ connection, id, prior, changes, idempotencyKey }) => ({
    object: await updateSecurityLevel(connection.client, id, prior, changes, idempotencyKey),
  }),
  delete: async ({ connection, id, prior }) => {
    await deleteSecurityLevel(connection.client, id, prior);
    return {};
  },
} satisfies KindApi<IntacctConnection>;
