/**
 * Facts about Autotask PSA that the kinds, runbooks, checks and simulator share, from the vendor's
 * procedure (seed 004) and Autotask's help pages. Kept in one place so a UI label changes once.
 */

/** The product name operators know. */
export const SYSTEM_NAME = 'Autotask PSA';

/** Autotask's built-in security levels for API users; custom API levels are copies of these. */
export const SYSTEM_API_LEVELS = [
  'API User (system) (API-only)',
  "API User (system) Can't Read Costs (API-only)",
] as const;

/** The level the vendor procedure recommends copying: every permission except reading costs. */
export const RECOMMENDED_BASE_LEVEL = "API User (system) Can't Read Costs (API-only)";

/** Where API users live in the UI (seed: Menu › Admin › Account Settings & Users › Resources/Users). */
export const RESOURCES_PATH = ['Admin', 'Account Settings & Users', 'Resources/Users'] as const;

/** Where security levels live in the UI. */
export const SECURITY_LEVELS_PATH = [...RESOURCES_PATH, 'Security', 'Security Levels'] as const;

/** Scope words of a permission (how much of an object the level reaches). */
export const PERMISSION_SCOPES = ['All', 'Mine', 'None'] as const;
/** Rights words of a permission (what the level may do with an object). */
export const PERMISSION_RIGHTS = ['View', 'Add', 'Edit', 'Delete'] as const;

export type PermissionScope = (typeof PERMISSION_SCOPES)[number];
export type PermissionRight = (typeof PERMISSION_RIGHTS)[number];
/** A permission: a scope, or the exact list of rights granted. */
export type PermissionValue = PermissionScope | PermissionRight[];

/** The separator of a permission path, as the UI's breadcrumbs show it. */
export const PERMISSION_SEPARATOR = ' › ';

/**
 * `Section › Object` (or deeper, `Section › Group › Object`): segments without `›` and without
 * spaces at their ends, joined by ` › `.
 */
export const PERMISSION_KEY_PATTERN = '^[^›\\s]([^›]*[^›\\s])?( › [^›\\s]([^›]*[^›\\s])?)+$';

/** A permission value as the UI shows it, e.g. `All` or `View, Add, Edit (not Delete)`. */
export function describePermission(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return JSON.stringify(value);
  const granted = PERMISSION_RIGHTS.filter((r) => value.includes(r));
  const denied = PERMISSION_RIGHTS.filter((r) => !value.includes(r));
  if (granted.length === 0) return 'none of View, Add, Edit, Delete';
  return denied.length === 0 ? granted.join(', ') : `${granted.join(', ')} (not ${denied.join(', ')})`;
}

/**
 * What some integration vendors need of their API user's security level, from their setup
 * procedures: a permission that grants less is flagged by the provider's check.
 */
export const VENDOR_REQUIREMENTS: Readonly<
  Record<string, ReadonlyArray<{ permission: string; scope?: PermissionScope; rights?: PermissionRight[] }>>
> = {
  // Seed 004: "CRM > Account & Contact Access (All)", "Service Desk > Tickets: at least View, Add, Edit".
  'Office Protect - Alert Integration': [
    { permission: 'CRM › Account & Contact Access', scope: 'All' },
    { permission: 'Service Desk › Tickets', rights: ['View', 'Add', 'Edit'] },
  ],
};

/** Integration vendors a new sandbox offers in the API user form (the real list is longer). */
export const SANDBOX_VENDORS = [
  'Office Protect - Alert Integration',
  'Barracuda MSP',
  'Cloud Depot',
  'Datto RMM',
  'Getint',
  'Innerapps - Identity Syncronizer',
  'IT Glue',
  'Zapier',
] as const;
