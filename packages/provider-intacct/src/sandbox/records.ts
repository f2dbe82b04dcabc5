/**
 * What the simulator stores, one table per Intacct object. Records keep references as the
 * target's `key` (a string), the way Intacct relates records; views (model.ts) expand them into
 * `{key, id, href}` on the wire. Records are never mutated in place: a change stores a new object,
 * so a failed transaction can put the old one back.
 */

/** A user reference inside `audit`, kept as the wire shows it. */
export interface AuditUser {
  key?: string;
  id: string;
  href?: string;
}

export interface Audit {
  createdDateTime: string;
  modifiedDateTime: string;
  /** Deprecated in the API (a user key), still returned. */
  createdBy?: string;
  modifiedBy?: string;
  createdByUser: AuditUser;
  modifiedByUser: AuditUser;
}

export interface UserRec {
  key: string;
  id: string;
  userName?: string;
  accountEmail: string;
  userType: string;
  adminPrivileges: string;
  status: string;
  webServices: { isEnabled: boolean; isRestricted: boolean };
  password: { neverExpires: boolean; requiresReset: boolean; disablePassword: boolean };
  sso: { isSSOEnabled: boolean; federatedSSOId?: string };
  entityAccess: { allowUnrestrictedAccess: boolean; allowTopLevelAccess: boolean };
  trustedDevices: string;
  isChatterDisabled: boolean;
  hideOtherDepartmentTransactions: boolean;
  /** Key of the linked contact. */
  contact: string;
  audit: Audit;
  /** Someone signed in with this ID at least once: Intacct then refuses to delete the user. Never on the wire. */
  everActivated: boolean;
  /**
   * Salted SHA-256 of the password the last reset e-mailed, and when (a sandbox's memory of the
   * UI's Reset password; never on the wire: Intacct's REST API neither shows nor sets passwords).
   */
  passwordReset?: { hash: string; salt: string; at: string };
}

export interface ContactRec {
  key: string;
  id: string;
  printAs: string;
  firstName?: string;
  lastName?: string;
  /** The primary e-mail address. */
  email1?: string;
  email2?: string;
  status: string;
  audit: Audit;
}

export interface RoleRec {
  key: string;
  id: string;
  description?: string;
  roleType: string;
  applyTo: string;
  audit: Audit;
}

/** A permission of the company's catalogue (`company-config/permission`, read-only). */
export interface PermissionRec {
  key: string;
  module: string;
  name: string;
  allowedAccessRights: string[];
}

/** One permission of a role (`company-config/role-permission-assignment`, owned by the role). */
export interface RolePermRec {
  key: string;
  role: string;
  /** Key of the permission (`company-config/permission`). */
  permission: string;
  accessRights: string[];
  audit: Audit;
}

/** A role given to a user (`company-config/role-user-map`, made from the user's `roles[]`). */
export interface RoleUserMapRec {
  key: string;
  role: string;
  user: string;
  audit: Audit;
}

export interface GroupRec {
  key: string;
  id: string;
  description: string;
  audit: Audit;
}

/** A role given to a user group (`company-config/role-user-group-map`, made from the group's `roles[]`). */
export interface RoleGroupMapRec {
  key: string;
  role: string;
  userGroup: string;
  audit: Audit;
}

/** `company-config/user-group-member`: a user in a group. */
export interface MemberRec {
  key: string;
  user: string;
  userGroup: string;
  audit: Audit;
}

/** The first answer given to an `Idempotency-Key`, replayed when the same request comes again. */
export interface IdempotencyRec {
  /** `<pseudonym of the signed-in user>\u0000<Idempotency-Key>` (keys are per user; user IDs are not stored). */
  key: string;
  /** Hash of method, path and body: the same key with another request is a conflict. */
  hash: string;
  status: number;
  body: unknown;
  /** Epoch ms, for pruning. */
  at: number;
}

export interface TableRecords {
  user: UserRec;
  contact: ContactRec;
  role: RoleRec;
  permission: PermissionRec;
  'role-permission-assignment': RolePermRec;
  'role-user-map': RoleUserMapRec;
  'user-group': GroupRec;
  'role-user-group-map': RoleGroupMapRec;
  'user-group-member': MemberRec;
  idempotency: IdempotencyRec;
}

export type TableName = keyof TableRecords;

export const TABLE_NAMES: readonly TableName[] = [
  'user',
  'contact',
  'role',
  'permission',
  'role-permission-assignment',
  'role-user-map',
  'user-group',
  'role-user-group-map',
  'user-group-member',
  'idempotency',
];

const lower = (s: string | undefined) => s?.toLowerCase();

/**
 * Secondary indexes per table (value → keys), kept up to date on every change so lookups by ID,
 * by owner and by member stay O(1) with tens of thousands of users. IDs are indexed
 * case-insensitively: Intacct IDs are unique regardless of case.
 */
export const TABLE_INDEXES: { [T in TableName]: Record<string, (r: TableRecords[T]) => string | undefined> } =
  {
    user: { id: (r) => lower(r.id), contact: (r) => r.contact },
    contact: { id: (r) => lower(r.id) },
    role: { id: (r) => lower(r.id) },
    permission: { name: (r) => `${r.module}/${r.name}` },
    'role-permission-assignment': { role: (r) => r.role, permission: (r) => r.permission },
    'role-user-map': { user: (r) => r.user, role: (r) => r.role },
    'user-group': { id: (r) => lower(r.id) },
    'role-user-group-map': { userGroup: (r) => r.userGroup, role: (r) => r.role },
    'user-group-member': {
      user: (r) => r.user,
      userGroup: (r) => r.userGroup,
      pair: (r) => `${r.user}|${r.userGroup}`,
    },
    idempotency: {},
  };
