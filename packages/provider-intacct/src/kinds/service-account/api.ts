import type { KindApi } from '@roster/core';
import type { IntacctConnection } from '../../connection.js';
import { signIn } from './sign-in.js';
import {
  createServiceAccount,
  deleteServiceAccount,
  listServiceAccounts,
  readServiceAccount,
  updateServiceAccount,
} from './users.js';

/** A web services user's operations by API (the password reset is the runbook's). */
export const serviceAccountApi = {
  list: async ({ connection }) => ({ objects: await listServiceAccounts(connection.client) }),
  read: async ({ connection, id }) => ({ object: await readServiceAccount(connection.client, id) }),
  create: async ({ connection, attributes, idempotencyKey }) => ({
    object: await createServiceAccount(connection.client, attributes, idempotencyKey),
  }),
  update: async ({ connection, id, prior, changes, idempotencyKey }) => ({
    object: await updateServiceAccount(connection.client, id, prior, changes, idempotencyKey),
  }),
  delete: async ({ connection, id, prior }) => {
    await deleteServiceAccount(connection.client, id, prior);
    return {};
  },
  test: signIn,
} satisfies KindApi<IntacctConnection>;
