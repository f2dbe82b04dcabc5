import type { KindApi } from '@roster/core';
import type { AutotaskConnection } from '../../connection.js';
import { signInAsApiUser } from './sign-in.js';

/**
 * What the REST API does with API users: list and read them (Resources), update what it can write
 * (names, e-mail, isActive), and `roster test` signs in as one. Creating one and generating its
 * secret are the UI's (the runbook's).
 */
export const serviceAccountApi = {
  list: async ({ connection }) => ({ objects: await connection.apiUsers.list() }),
  read: async ({ connection, id }) => ({ object: await connection.apiUsers.read(id) }),
  update: async ({ connection, id, prior, changes }) => ({
    object: await connection.apiUsers.update(id, prior, changes),
  }),
  test: signInAsApiUser,
} satisfies KindApi<AutotaskConnection>;
