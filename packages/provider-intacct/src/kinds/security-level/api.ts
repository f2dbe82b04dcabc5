import { objectApi } from '../object-api.js';
import {
  createSecurityLevel,
  deleteSecurityLevel,
  listSecurityLevels,
  readSecurityLevel,
  updateSecurityLevel,
} from './roles.js';

/** A role's operations by API. */
export const securityLevelApi = objectApi({
  list: listSecurityLevels,
  read: readSecurityLevel,
  create: createSecurityLevel,
  update: updateSecurityLevel,
  delete: deleteSecurityLevel,
});
