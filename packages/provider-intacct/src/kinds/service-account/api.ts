import { objectApi } from '../object-api.js';
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
  ...objectApi({
    list: listServiceAccounts,
    read: readServiceAccount,
    create: createServiceAccount,
    update: updateServiceAccount,
    delete: deleteServiceAccount,
  }),
  test: signIn,
};
