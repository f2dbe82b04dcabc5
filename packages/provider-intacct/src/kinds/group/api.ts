import type { KindApi } from '@roster/core';
import type { IntacctConnection } from '../../connection.js';
import { createGroup, deleteGroup, listGroups, readGroup, updateGroup } from './groups.js';

/** A user group's operations by API. */
export const groupApi = {
  list: async ({ connection }) => ({ objects: await listGroups(connection.client) }),
  read: async ({ connection, id }) => ({ object: await readGroup(connection.client, id) }),
  create: async ({ connection, attributes, idempotencyKey }) => ({
    object: await createGroup(connection.client, attributes, idempotencyKey),
  }),
  update: async ({ connection, id, prior, changes, idempotencyKey }) => ({
    object: await updateGroup(connection.client, id, prior, changes, idempotencyKey),
  }),
  delete: async ({ connection, id, prior }) => {
    await deleteGroup(connection.client, id, prior);
    return {};
  },
} satisfies KindApi<IntacctConnection>;
