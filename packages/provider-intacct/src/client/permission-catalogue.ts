import { compareText } from '@roster/core';
import { permissionName } from '../permission-data/catalogue.js';
import type { IntacctClient } from './client.js';
import { pick, pickString } from './fields.js';

const PERMISSION = 'company-config/permission';

/** One permission of the company's catalogue (`company-config/permission`). */
export interface CataloguePermission {
  /** The system key roster sends as `permission: {key}`. */
  key: string;
  module: string;
  name: string;
  /** The rights this permission can be given (`allowedAccessRights`). */
  allowedAccessRights: string[];
}

/** The company's permissions, by key and by `<module>/<name>`. */
export class PermissionCatalogue {
  readonly byKey = new Map<string, CataloguePermission>();
  readonly byName = new Map<string, CataloguePermission>();

  constructor(permissions: Iterable<CataloguePermission>) {
    for (const p of permissions) {
      this.byKey.set(p.key, p);
      this.byName.set(permissionName(p), p);
    }
  }

  /** Every `<module>/<name>`, sorted. */
  names(): string[] {
    return [...this.byName.keys()].sort(compareText);
  }
}

// One catalogue per client (a connection), read once: with the roles' bulk refresh, or on first need.
const cache = new WeakMap<IntacctClient, Promise<PermissionCatalogue>>();

async function readCatalogue(client: IntacctClient): Promise<PermissionCatalogue> {
  const rows = await client.query({
    object: PERMISSION,
    fields: ['key', 'module', 'name', 'allowedAccessRights'],
  });
  const out: CataloguePermission[] = [];
  for (const row of rows) {
    const key = pickString(row, 'key');
    const module = pickString(row, 'module');
    const name = pickString(row, 'name');
    const rights = pick(row, 'allowedAccessRights');
    if (!key || !module || !name) continue;
    out.push({
      key,
      module,
      name,
      allowedAccessRights: Array.isArray(rights)
        ? rights.filter((r): r is string => typeof r === 'string')
        : [],
    });
  }
  return new PermissionCatalogue(out);
}

/** The company's permission catalogue: one paged query per connection. */
export function permissionCatalogue(client: IntacctClient): Promise<PermissionCatalogue> {
  let p = cache.get(client);
  if (!p) {
    p = readCatalogue(client);
    // A failed read is not kept: the next caller asks again.
    p.catch(() => cache.delete(client));
    cache.set(client, p);
  }
  return p;
}
