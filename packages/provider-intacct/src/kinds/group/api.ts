import { objectApi } from '../object-api.js';
import { createGroup, deleteGroup, listGroups, readGroup, updateGroup } from './groups.js';

/** A user group's operations by API. */
export const groupApi = objectApi({
  list: listGroups,
  read: readGroup,
  create: createGroup,
  update: updateGroup,
  delete: deleteGroup,
});
