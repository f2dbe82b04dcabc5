/**
 * What the simulator stores. Records are never mutated in place: a change stores a new object, so a
 * failed transaction can put the old one back.
 */

/** What only the UI knows about an API user: the REST API never returns any of it. */
export interface ApiUserFacts {
  /** Key of the security level. */
  securityLevel: string;
  /** Name of the integration vendor (the API tracking identifier), fixed at creation. */
  integrationVendor: string;
  /** Cannot sign in while locked. */
  locked: boolean;
  /** Salted SHA-256 of the secret: the secret itself is shown once and never stored. */
  secretHash: string;
  secretSalt: string;
  /**
   * Salted SHA-256 of the API tracking identifier its integration must send as `ApiIntegrationCode`
   * (shown once, at creation, like the secret). Absent on API users of sandboxes made before it
   * was kept: those are refused every call, as an unknown code would be.
   */
  trackingHash?: string;
  trackingSalt?: string;
  /** When the secret was last generated (ISO time). */
  secretSetAt: string;
  createdAt: string;
}

/** A `Resources` record (a user, interactive or API-only). */
export interface ResourceRec {
  /** `String(id)`. */
  key: string;
  id: number;
  firstName: string;
  lastName: string;
  middleName: string | null;
  email: string;
  userName: string;
  title: string | null;
  isActive: boolean;
  /** Picklist value (see seed `LICENSE_TYPES`). */
  licenseType: number;
  userType: number;
  resourceType: string;
  officePhone: string | null;
  mobilePhone: string | null;
  /** Present on API users only. Never on the wire. */
  apiUser?: ApiUserFacts;
}

/** A security level (Admin › … › Security Levels). Not an entity of the REST API at all. */
export interface SecurityLevelRec {
  key: string;
  name: string;
  /** Name of the level it was copied from; absent on the system levels. */
  copiedFrom?: string;
  /** Only API-only levels can be given to API users (and API users only those). */
  apiOnly: boolean;
  /** Built into Autotask: cannot be edited, only copied. */
  system: boolean;
  active: boolean;
  /** `Section › Object` → scope (`All`, `Mine`, `None`) or rights (`View`, `Add`, `Edit`, `Delete`). */
  permissions: Record<string, string | string[]>;
}

/** An integration vendor of the API user form's list (the API tracking identifier). */
export interface VendorRec {
  key: string;
  name: string;
}

export interface TableRecords {
  resource: ResourceRec;
  securityLevel: SecurityLevelRec;
  vendor: VendorRec;
}

export type TableName = keyof TableRecords;

export const TABLE_NAMES: readonly TableName[] = ['resource', 'securityLevel', 'vendor'];
