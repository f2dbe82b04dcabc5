import type { Diagnostic } from '../diagnostics.js';
import type { PolicySeverity } from '../policy/types.js';

/**
 * `roster inventory --format json` (schemas/inventory.schema.json): every account and connection
 * the systems hold — managed, unmanaged and deactivated — as one population. The access review
 * freezes exactly this population, and the HTML and baton renderers read it.
 */
export interface InventoryReport {
  formatVersion: 1;
  /** RFC 3339 time of the refresh the report was built from. */
  generatedAt: string;
  /** Days without use after which an account is stale (policy `inventory.stale`, option `days`). */
  staleAfterDays: number;
  accounts: InventoryAccount[];
  /** Stale accounts, accounts with no owner: what a person should act on. */
  findings: InventoryFinding[];
  /** SoD conflicts among the accounts as the systems hold them now (the `roster sod` engine). */
  conflicts: InventoryConflict[];
  diagnostics: Diagnostic[];
}

/** How roster knows an account. */
export type InventoryStatus = 'managed' | 'unmanaged' | 'deactivated';

/** One account (kind role `account`) or connection signing in as one (role `connector`). */
export interface InventoryAccount {
  /** `<provider>/<Kind>/<name>`; for an unmanaged object `<provider>/<Kind>/<naturalKey>`. */
  address: string;
  /** `metadata.name`, or the natural key of an object no manifest declares. */
  name: string;
  /** The provider's type: the system (e.g. `intacct`). */
  system: string;
  /** `metadata.name` of its Provider document. */
  provider: string;
  kind: string;
  role: 'account' | 'connector';
  status: InventoryStatus;
  /** The system's id, where roster knows it. */
  id: string | null;
  naturalKey: string;
  /** `labels.owner`, `labels.backup-owner`, `labels.purpose`; null when not given. */
  owner: string | null;
  backupOwner: string | null;
  purpose: string | null;
  labels: Record<string, string>;
  /** The roles, security levels and groups it holds, as the system names them (sorted). */
  roles: string[];
  /** Effective permissions as the systems hold them now, with the path each comes through. */
  permissions: InventoryPermission[];
  credentials: {
    /** When roster last saw them issued (`credentialsIssuedAt`); null when it never did. */
    issuedAt: string | null;
    ageDays: number | null;
    rotateAfterDays: number | null;
    /** `issuedAt + rotateAfterDays` (RFC 3339 date); null without both. */
    rotationDue: string | null;
  };
  /** The oldest attestation of the account's attributes still in state; null when none. */
  attestation: { at: string; by: string; ageDays: number } | null;
  /** Drift of a managed account; `unmanaged` for an object no manifest declares. */
  drift: 'in-sync' | 'changed' | 'deleted' | 'unmanaged' | 'unknown';
  /** When the account was last used, and where that comes from. */
  lastUsed: LastUsed;
  /** Where a managed account is declared. */
  file?: string;
  line?: number;
  column?: number;
}

/**
 * `source: 'system'`: the system's own record, `field` names it (e.g. Intacct `userinfo
 * lastLoginDate`); `source: 'roster-test'`: the last successful `roster test` sign-in (state
 * `lastSignInAt`), which proves the credentials work, not that an integration used them.
 */
export interface LastUsed {
  at: string | null;
  source: 'system' | 'roster-test' | null;
  /** The system's field, as the kind declares it (`KindDefinition.lastUsed.field`). */
  field: string | null;
  /** When `at` is null: why roster does not know (e.g. the system records no last use). */
  unknownReason?: string;
}

export interface InventoryPermission {
  name: string;
  escalates?: boolean;
  /** Addresses between the account and the permission: groups, roles, a connection's target account. */
  via: string[];
}

export interface InventoryConflict {
  address: string;
  rule: string;
  pack: string;
  message: string;
  severity: PolicySeverity;
  /** The permissions that conflict. */
  permissions: string[];
  /** Where the account is declared (a grant's line when known), for a managed account. */
  file?: string;
  line?: number;
  column?: number;
  excepted?: { reason: string; file: string; line: number };
}

export interface InventoryFinding {
  /** `inventory.stale`, `inventory.no-owner`. */
  rule: string;
  severity: PolicySeverity;
  address: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** Accepted by a Policy exception of the rule: reported, not counted. */
  excepted?: { reason: string; file: string; line: number };
}
