/**
 * The input file of ConductorOne's baton-file connector (github.com/conductorone/baton-file), as
 * far as roster writes it: the JSON form (`.json`; the connector picks its parser by extension).
 * Field names are those of its `pkg/client/types.go` JSON tags; the transcribed schema with the
 * sources it comes from is `baton-file.schema.json` beside this file. Only the fields roster fills
 * are declared; the connector has more (email, MFA/SSO, inheritance mappings, external grants).
 */
export interface BatonFile {
  users: BatonUser[];
  resources: BatonResource[];
  entitlements: BatonEntitlement[];
  direct_user_grants: BatonDirectUserGrant[];
}

/** A principal. Only users can receive grants (`principal_id` must be a user id). */
export interface BatonUser {
  /** Unique across users and resources. */
  id: string;
  display_name: string;
  /** `enabled` | `disabled` | `deleted` (the connector also takes active/inactive/suspended). */
  status: 'enabled' | 'disabled' | 'deleted';
  /** `service` marks a non-human account (ACCOUNT_TYPE_SERVICE). */
  type: 'service';
  /** The system's own last sign-in (RFC 3339); the connector parses many formats. */
  last_login?: string;
  login?: string;
  status_details?: string;
  /** Key-value attributes: strings, numbers, booleans. */
  profile?: Record<string, string | number | boolean>;
}

/** A resource with one trait; every resource of a `resource_type` must have the same trait. */
export interface BatonResource {
  resource_type: string;
  trait: 'app' | 'role' | 'group' | 'secret';
  id: string;
  display_name: string;
  description?: string;
  /** Id of the parent resource. */
  parent_resource?: string;
  profile?: Record<string, string | number | boolean>;
  /** Secret trait only: when it was issued, when it expires, whose it is (`type:id`). */
  created_at?: string;
  expires_at?: string;
  identity?: string;
}

/** Something that can be granted on a resource; `entitlement_slug` is unique per resource. */
export interface BatonEntitlement {
  resource_id: string;
  entitlement_slug: string;
  display_name?: string;
  description?: string;
}

/** A user holds the entitlement `resource_id`/`entitlement_slug`. */
export interface BatonDirectUserGrant {
  principal_id: string;
  resource_id: string;
  entitlement_slug: string;
}
