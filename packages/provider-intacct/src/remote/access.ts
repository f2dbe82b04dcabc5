import type { IntacctClient } from '../client.js';
import { compareText } from '../kinds/common.js';
import { pick, pickString } from './fields.js';

const ROLE_PERMISSION = 'company-config/role-permission-assignment';
const ROLE_GROUP_MAP = 'company-config/role-user-group-map';

/**
 * The permissions (`<application>/<object>`) a user's roles grant `list` on: its own roles and
 * those of its user groups. Read as roster: at most two queries, filtered by role and group ID.
 * Objects of other applications (the data an integration works on) come first, then
 * `company-config` ones, each sorted.
 */
export async function listableObjects(
  client: IntacctClient,
  roles: readonly string[],
  groups: readonly string[],
): Promise<string[]> {
  const all = new Set(roles);
  if (groups.length > 0) {
    const maps = await client.query({
      object: ROLE_GROUP_MAP,
      fields: ['key', 'role.id'],
      filters: [{ $in: { 'userGroup.id': [...groups] } }],
    });
    for (const m of maps) {
      const r = pickString(m, 'role.id');
      if (r) all.add(r);
    }
  }
  if (all.size === 0) return [];
  const rows = await client.query({
    object: ROLE_PERMISSION,
    fields: ['key', 'permission.id', 'accessRights'],
    filters: [{ $in: { 'role.id': [...all] } }],
  });
  const out = new Set<string>();
  for (const row of rows) {
    const permission = pickString(row, 'permission.id');
    const rights = pick(row, 'accessRights');
    if (permission && Array.isArray(rights) && rights.includes('list')) out.add(permission);
  }
  const config = (p: string) => p.startsWith('company-config/');
  return [...out].sort((a, b) => Number(config(a)) - Number(config(b)) || compareText(a, b));
}
