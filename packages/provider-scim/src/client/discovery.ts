/** Schema URNs of RFC 7643. */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** RFC 7643 §7 mutability of an attribute. */
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';

/** One resource type the server offers (`/ResourceTypes`, RFC 7643 §6). */
export interface ResourceTypeFacts {
  endpoint: string;
  schema: string;
  extensions: string[];
}

/**
 * What the server said about itself before roster trusted it: `/ServiceProviderConfig`,
 * `/ResourceTypes` and `/Schemas` (RFC 7643 §5–§7).
 */
export interface ServerFacts {
  patch: boolean;
  etag: boolean;
  bulk: { supported: boolean; maxOperations: number };
  filter: { supported: boolean; maxResults: number | undefined };
  /** `User` and `Group`, when offered (the endpoint is relative to the base URL). */
  resourceTypes: Record<string, ResourceTypeFacts>;
  /** Mutability per schema URN and top-level attribute name (lower-cased: SCIM names are case-insensitive). */
  mutability: Record<string, Record<string, Mutability>>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
const supported = (v: unknown): boolean => isObject(v) && v.supported === true;
const positive = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;

/** Facts from the three discovery answers; what a server leaves out is taken at the RFC's cautious reading. */
export function serverFacts(config: unknown, resourceTypes: unknown[], schemas: unknown[]): ServerFacts {
  const c = isObject(config) ? config : {};
  const types: Record<string, ResourceTypeFacts> = {};
  for (const t of resourceTypes) {
    if (!isObject(t) || typeof t.endpoint !== 'string' || typeof t.schema !== 'string') continue;
    const name = typeof t.name === 'string' ? t.name : typeof t.id === 'string' ? t.id : '';
    const extensions = Array.isArray(t.schemaExtensions)
      ? t.schemaExtensions.flatMap((e) => (isObject(e) && typeof e.schema === 'string' ? [e.schema] : []))
      : [];
    types[name] = { endpoint: `/${t.endpoint.replace(/^\/+/, '')}`, schema: t.schema, extensions };
  }
  const mutability: Record<string, Record<string, Mutability>> = {};
  for (const s of schemas) {
    if (!isObject(s) || typeof s.id !== 'string' || !Array.isArray(s.attributes)) continue;
    const attrs: Record<string, Mutability> = {};
    for (const a of s.attributes) {
      if (!isObject(a) || typeof a.name !== 'string') continue;
      const m = a.mutability;
      // RFC 7643 §2.2: an attribute that states none is readWrite.
      attrs[a.name.toLowerCase()] =
        m === 'readOnly' || m === 'immutable' || m === 'writeOnly' ? m : 'readWrite';
    }
    mutability[s.id] = attrs;
  }
  const bulk = isObject(c.bulk) ? c.bulk : {};
  const filter = isObject(c.filter) ? c.filter : {};
  return {
    patch: supported(c.patch),
    etag: supported(c.etag),
    bulk: { supported: supported(bulk), maxOperations: positive(bulk.maxOperations) ?? 0 },
    filter: { supported: supported(filter), maxResults: positive(filter.maxResults) },
    resourceTypes: types,
    mutability,
  };
}
