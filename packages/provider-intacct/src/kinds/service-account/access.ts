import type { IntacctClient } from '../../client/client.js';
import { pick, pickString } from '../../client/fields.js';
import { permissionName, QUERY_OBJECTS } from '../../permission-data/catalogue.js';
import { compareText } from '../common.js';

const ROLE_PERMISSION = 'company-config/role-permission-assignment';
const ROLE_GROUP_MAP = 'company-config/role-user-group-map';

/** A permission a user's roles grant `list` on, and an object that lets it query. */
export interface Listable {
  /** `<module>/<name>`. */
  permission: string;
  /** The REST object (`<application>/<object>`) to query, from `QUERY_OBJECTS`. */
  object: string;
}

/**
 * The permissions a user's roles grant `list` on (its own roles and those of its user groups), each
 * with an object it lets the user query (`QUERY_OBJECTS`; permissions that guard no object roster
 * knows are left out). Read as roster: at most two queries, filtered by role and group ID. Objects
 * of other applications (the data an integration works on) come first, then `company-config`
 * ones, each sorted.
 */
export async function listableObjects(
  client: IntacctClient,
  roles: readonly string[],
  groups: readonly string[],
): Promise<Listable[]> {
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
    fields: ['key', 'permission.key', 'permission.module', 'permission.name', 'accessRights'],
    filters: [{ $in: { 'role.id': [...all] } }],
  });
  const out = new Map<string, Listable>();
  for (const row of rows) {
    const module = pickString(row, 'permission.module');
    const name = pickString(row, 'permission.name');
    const rights = pick(row, 'accessRights');
    if (!module || !name || !Array.isArray(rights) || !rights.includes('list')) continue;
    const permission = permissionName({ module, name });
    for (const object of QUERY_OBJECTS.get(permission) ?? []) {
      if (!out.has(object)) out.set(object, { permission, object });
    }
  }
  const config = (p: Listable) => p.object.startsWith('company-config/');
  return [...out.values()].sort(
    (a, b) => Number(config(a)) - Number(config(b)) || compareText(a.object, b.object),
  );
}
