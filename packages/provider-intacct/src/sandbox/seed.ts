import { FIRST_PERMISSION_KEY, SANDBOX_PERMISSIONS } from '../permission-data/catalogue.js';
import { badRequest } from './errors.js';
import { auditNew, type WriteContext } from './objects.js';
import type { SimTx } from './store.js';

/** The standard user every company starts with (the one who subscribed the company). */
export const ADMIN_USER_ID = 'Admin';
/** System roles a new company has; roster can see them but never changes them. */
export const SYSTEM_ROLES = [
  { id: '::SYS::Administrator', description: 'System role: full administration' },
  { id: '::SYS::Employee', description: 'System role: employee self-service' },
] as const;

const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * What a brand-new company has: the `Admin` standard (interactive) business user with full
 * admin privileges, who has signed in (so it can never be deleted), and the system roles. Nothing
 * here uses the `WS_` prefix the examples use.
 */
export function seedCompany(tx: SimTx): void {
  seedPermissions(tx);
  const now = timestamp();
  const ctx: WriteContext = { actor: { id: ADMIN_USER_ID, key: '1' }, now };
  const contactKey = tx.newKey('contact');
  tx.put('contact', {
    key: contactKey,
    id: 'Administrator',
    printAs: 'Company Administrator',
    firstName: 'Company',
    lastName: 'Administrator',
    email1: `admin@${tx.companyId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.example.com`,
    status: 'active',
    audit: auditNew(ctx),
  });
  const userKey = tx.newKey('user');
  tx.put('user', {
    key: userKey,
    id: ADMIN_USER_ID,
    userName: 'Company Administrator',
    accountEmail: `admin@${tx.companyId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.example.com`,
    userType: 'business',
    adminPrivileges: 'full',
    status: 'active',
    webServices: { isEnabled: true, isRestricted: false },
    password: { neverExpires: false, requiresReset: false, disablePassword: false },
    sso: { isSSOEnabled: false },
    entityAccess: { allowUnrestrictedAccess: true, allowTopLevelAccess: false },
    trustedDevices: 'companyDefault',
    isChatterDisabled: false,
    hideOtherDepartmentTransactions: false,
    contact: contactKey,
    audit: auditNew(ctx),
    everActivated: true,
  });
  for (const r of SYSTEM_ROLES) {
    const key = tx.newKey('role');
    tx.put('role', { key, ...r, roleType: 'enterprise', applyTo: 'loginAndSlideIn', audit: auditNew(ctx) });
    if (r.id === '::SYS::Administrator') {
      tx.put('role-user-map', {
        key: tx.newKey('role-user-map'),
        role: key,
        user: userKey,
        audit: auditNew(ctx),
      });
    }
  }
}

/**
 * The company's permission catalogue (`company-config/permission`, read-only): the sandbox's
 * standard permissions (`permission-data/catalogue.ts`), keys numbered from `FIRST_PERMISSION_KEY`.
 * Does nothing when the company already has them.
 */
export function seedPermissions(tx: SimTx): void {
  if (tx.table('permission').size > 0) return;
  for (const [i, p] of SANDBOX_PERMISSIONS.entries()) {
    tx.put('permission', {
      key: String(FIRST_PERMISSION_KEY + i),
      module: p.module,
      name: p.name,
      allowedAccessRights: [...p.allowedAccessRights],
    });
  }
}

/** Key of the sandbox permission `<module>/<name>`. */
export function permissionKey(tx: SimTx, name: string): string {
  const p = tx.table('permission').first('name', name);
  if (!p) throw new Error(`the sandbox has no permission ${name}`);
  return p.key;
}

/** `POST /__sandbox/seed`: many objects in one transaction, for benchmarks and paging tests. */
export interface BulkSeed {
  /** Web services users to add (IDs `<prefix>_USER_000001`…). */
  users?: number;
  /** Roles to add (`<prefix>_ROLE_0001`…); users get one each, round robin. */
  roles?: number;
  /** User groups to add (`<prefix>_GROUP_0001`…); users join one each, round robin. */
  groups?: number;
  /** ID prefix (default `SEED`). */
  prefix?: string;
  /** Make the users standard (interactive) users instead of web services users. */
  standard?: boolean;
}

export function seedBulk(tx: SimTx, raw: unknown): { users: number; roles: number; groups: number } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw badRequest('seed body must be an object', '/');
  const req = raw as BulkSeed;
  const count = (v: unknown, name: string) => {
    if (v === undefined) return 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1_000_000)
      throw badRequest(`${name} must be an integer 0–1000000`, `/${name}`);
    return v;
  };
  const users = count(req.users, 'users');
  const roles = count(req.roles, 'roles');
  const groups = count(req.groups, 'groups');
  const prefix = typeof req.prefix === 'string' && req.prefix ? req.prefix : 'SEED';
  const ctx: WriteContext = { actor: { id: ADMIN_USER_ID, key: '1' }, now: timestamp() };
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const taken = (table: 'user' | 'role' | 'user-group', id: string) => {
    if (tx.table(table).first('id', id.toLowerCase()))
      throw badRequest(`${id} already exists; seed with another prefix`, '/prefix');
  };
  const roleKeys: string[] = [];
  const glAccounts = roles > 0 ? permissionKey(tx, 'generalLedger/accounts') : '';
  for (let i = 1; i <= roles; i++) {
    const id = `${prefix}_ROLE_${pad(i, 4)}`;
    taken('role', id);
    const key = tx.newKey('role');
    tx.put('role', {
      key,
      id,
      description: `Seeded role ${i}`,
      roleType: 'enterprise',
      applyTo: 'loginAndSlideIn',
      audit: auditNew(ctx),
    });
    tx.put('role-permission-assignment', {
      key: tx.newKey('role-permission-assignment'),
      role: key,
      permission: glAccounts,
      accessRights: ['list', 'readonly'],
      audit: auditNew(ctx),
    });
    roleKeys.push(key);
  }
  const groupKeys: string[] = [];
  for (let i = 1; i <= groups; i++) {
    const id = `${prefix}_GROUP_${pad(i, 4)}`;
    taken('user-group', id);
    const key = tx.newKey('user-group');
    tx.put('user-group', { key, id, description: `Seeded group ${i}`, audit: auditNew(ctx) });
    groupKeys.push(key);
  }
  for (let i = 1; i <= users; i++) {
    const id = `${prefix}_USER_${pad(i, 6)}`;
    taken('user', id);
    const email = `${id.toLowerCase()}@example.com`;
    const contact = tx.newKey('contact');
    tx.put('contact', {
      key: contact,
      id: `User ${i}, Seeded (${id})`,
      printAs: `Seeded User ${i}`,
      firstName: 'Seeded',
      lastName: `User ${i}`,
      email1: email,
      status: 'active',
      audit: auditNew(ctx),
    });
    const key = tx.newKey('user');
    tx.put('user', {
      key,
      id,
      userName: `Seeded user ${i}`,
      accountEmail: email,
      userType: 'business',
      adminPrivileges: 'off',
      status: 'active',
      webServices: { isEnabled: true, isRestricted: !req.standard },
      password: { neverExpires: !req.standard, requiresReset: false, disablePassword: false },
      sso: { isSSOEnabled: false },
      entityAccess: { allowUnrestrictedAccess: true, allowTopLevelAccess: false },
      trustedDevices: 'companyDefault',
      isChatterDisabled: false,
      hideOtherDepartmentTransactions: false,
      contact,
      audit: auditNew(ctx),
      everActivated: false,
    });
    const role = roleKeys[(i - 1) % Math.max(1, roleKeys.length)];
    if (role)
      tx.put('role-user-map', { key: tx.newKey('role-user-map'), role, user: key, audit: auditNew(ctx) });
    const group = groupKeys[(i - 1) % Math.max(1, groupKeys.length)];
    if (group)
      tx.put('user-group-member', {
        key: tx.newKey('user-group-member'),
        user: key,
        userGroup: group,
        audit: auditNew(ctx),
      });
  }
  return { users, roles, groups };
}
