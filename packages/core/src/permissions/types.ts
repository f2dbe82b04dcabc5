import type { SourcePosition } from '../manifest/types.js';

/**
 * One thing an account can do, in its system's own words, e.g. `Service Desk › Tickets: Edit`,
 * `accounts-payable/bill: add`, `GetConnector Profit_Debtors: read`. Compared by `name`.
 */
export interface Permission {
  name: string;
  /** Holding it lets the account change its own rights (e.g. edit security roles): policy `privilege-escalation`. */
  escalates?: boolean;
  /** JSON pointer into the account's manifest where the grant comes from (e.g. `/spec/roles/1`), for the line a finding shows. */
  pointer?: string;
  /**
   * Addresses between the account and the permission, nearest first: the group, the role, the
   * account a connection signs in as (and that account's own path). Drawn by the HTML inventory.
   */
  via?: string[];
}

/** A resource as permission and policy rules see it: one side (before or after) of a plan. */
export interface WorldResource {
  address: string;
  /** `metadata.name` of its Provider document. */
  provider: string;
  /** The provider's `type`, e.g. `intacct`. */
  providerType: string;
  kind: string;
  name: string;
  naturalKey: string;
  labels: Record<string, string>;
  /**
   * Attributes, references as `{ref: <natural key>}` within a provider and `{ref: <address>}`
   * across providers (as planning resolves them). roster's own `local` attributes (credentials)
   * are included on the after side only.
   */
  attributes: Record<string, unknown>;
  /** Where a JSON pointer of its manifest (e.g. `/spec/roles/0`) is, for desired resources. */
  positionOf?(pointer: string): SourcePosition | undefined;
}

/** The resources of one side of a plan, across every provider, with references resolved on demand. */
export interface World {
  readonly resources: readonly WorldResource[];
  get(address: string): WorldResource | undefined;
  /**
   * The resource a reference points at: `{ref: <address>}` anywhere, or `{ref: <natural key or
   * metadata.name>}` of `kind` in `from`'s provider.
   */
  resolve(from: WorldResource, kind: string, ref: unknown): WorldResource | undefined;
  /** What a resource can do, by its kind's `permissions` rule (empty when it has none). */
  permissionsOf(resource: WorldResource): Permission[];
}

/** `KindDefinition.permissions`: what one resource of the kind can do, given the world it lives in. */
export interface PermissionsRequest {
  resource: WorldResource;
  world: World;
}

/** How an account's permissions change with a plan. */
export interface PermissionChange {
  address: string;
  provider: string;
  kind: string;
  /** Permission names before and after, sorted. */
  before: string[];
  after: string[];
  gained: string[];
  lost: string[];
}
