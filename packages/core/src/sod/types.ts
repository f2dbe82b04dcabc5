/**
 * A segregation-of-duties rule pack: sets of permissions one account must not hold together, as
 * data. A provider ships its system's part of a pack (`Provider.sodRules`); parts with the same
 * `id` are one pack, and must give the same `version`.
 */
export interface SodPack {
  /** e.g. `finance`; the policy rule that applies it is `sod.<id>`. */
  id: string;
  /** Raised whenever a rule is added, removed or changed, so a report says which rules it used. */
  version: number;
  rules: readonly SodRule[];
}

/** Duties one account must not combine in one system. */
export interface SodRule {
  /** Unique within the pack, e.g. `ap-bill-entry-approval`. */
  id: string;
  /** The provider type whose permissions these are (e.g. `intacct`). */
  system: string;
  /**
   * Effective permission names (as plans show them), `*` matching any characters: an account
   * holding a permission that matches each entry holds the conflicting set.
   */
  permissions: readonly string[];
  /** Why the duties must stay apart: what one person could do alone. */
  reason: string;
  /** Where the permission names come from (vendor documentation, API reference). */
  source: string;
}

/** One account holding a conflicting set. */
export interface SodConflict {
  pack: string;
  version: number;
  rule: string;
  system: string;
  /** The account (or connection) that holds the set. */
  address: string;
  /**
   * The provider through which the account holds them, when it is another system's (a connection
   * signing in as an account there); absent when the account holds them in its own system.
   */
  via?: string;
  /** Per entry of the rule, the held permission names it matches (without any `<provider>: `). */
  held: Array<{ pattern: string; permissions: string[] }>;
  reason: string;
  /** JSON pointer into the account's manifest where one of the grants comes from, when known. */
  pointer?: string;
}
