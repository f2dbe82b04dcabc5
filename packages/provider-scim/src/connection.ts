import type { AttributeRule, ConnectionStats, ProviderConnection } from '@roster/core';
import { OutcomeUnknownError } from '@roster/http';
import { GROUP_SCHEMA, type ServerFacts, USER_SCHEMA } from './client/discovery.js';
import { errorOf, ScimError } from './client/errors.js';
import { eq } from './client/filter.js';
import type { PatchOperation, ScimClient, ScimResource, Versioned } from './client/scim-client.js';
import type { ScimConfig } from './config.js';
import { field } from './kinds/service-account/wire.js';

/** A group as the ServiceAccount kind needs it: its id, name and direct user members. */
export interface GroupEntry {
  id: string;
  displayName: string;
  members: Set<string>;
}

/** Which spec attribute of which kind a SCIM schema attribute is (for mutability rules). */
const SPEC_ATTRIBUTE: Record<string, Record<string, [kind: string, attribute: string]>> = {
  [USER_SCHEMA]: {
    username: ['ServiceAccount', 'userName'],
    displayname: ['ServiceAccount', 'displayName'],
    emails: ['ServiceAccount', 'emails'],
    active: ['ServiceAccount', 'active'],
    externalid: ['ServiceAccount', 'externalId'],
  },
  [GROUP_SCHEMA]: { displayname: ['Group', 'displayName'] },
};

/**
 * One session with a SCIM server: what discovery learnt, the versions (ETags) of what was read, and
 * the groups listing both kinds share. Writes go through `modify`: PATCH when the server offers it,
 * else PUT of the whole resource; `If-Match` when it offers ETags.
 */
export class ScimConnection implements ProviderConnection {
  readonly #versions = new Map<string, string>();
  #groups: Promise<GroupEntry[]> | undefined;

  constructor(
    readonly client: ScimClient,
    readonly facts: ServerFacts,
    readonly config: ScimConfig,
  ) {}

  /** The endpoint of a resource type (`/Users`, `/Groups` unless the server says otherwise). */
  endpoint(type: 'User' | 'Group'): string {
    return this.facts.resourceTypes[type]?.endpoint ?? `/${type}s`;
  }

  path(type: 'User' | 'Group', id: string): string {
    return `${this.endpoint(type)}/${encodeURIComponent(id)}`;
  }

  /** Remember the version a resource was read at; `If-Match` sends it back. */
  seen(v: Versioned): ScimResource {
    if (v.version !== undefined) this.#versions.set(v.resource.id, v.version);
    else this.#versions.delete(v.resource.id);
    return v.resource;
  }

  async listResources(type: 'User' | 'Group', what: string): Promise<ScimResource[]> {
    return this.client.list(this.endpoint(type), what);
  }

  async getResource(type: 'User' | 'Group', id: string, what: string): Promise<ScimResource | undefined> {
    const v = await this.client.get(this.path(type, id), what);
    return v && this.seen(v);
  }

  /**
   * Resources whose `attribute` equals `value` (case-insensitively, as userName and displayName
   * compare): the server's filter first, then the full list, for servers whose filter compares
   * case-sensitively or does not filter at all.
   */
  async find(
    type: 'User' | 'Group',
    attribute: string,
    value: string,
    what: string,
  ): Promise<ScimResource[]> {
    const same = (r: ScimResource) => String(field(r, attribute) ?? '').toLowerCase() === value.toLowerCase();
    if (this.facts.filter.supported) {
      const hits = (await this.client.list(this.endpoint(type), what, eq(attribute, value))).filter(same);
      if (hits.length > 0) return hits;
    }
    return (await this.listResources(type, what)).filter(same);
  }

  /** Whether a user is a service account under the provider's `serviceAccounts` mapping. */
  isServiceAccount(user: ScimResource): boolean {
    const m = this.config.serviceAccounts;
    if (!m) return true;
    const v = markerValue(user, m.attribute);
    return typeof m.value === 'string' && typeof v === 'string'
      ? v.toLowerCase() === m.value.toLowerCase()
      : v === m.value;
  }

  /** Every group, with its user members; read once until the next write. */
  groups(): Promise<GroupEntry[]> {
    this.#groups ??= this.listResources('Group', 'list the groups').then((rows) =>
      rows.map((g) => ({
        id: g.id,
        displayName: String(field(g, 'displayName') ?? ''),
        members: new Set(
          (Array.isArray(field(g, 'members')) ? (field(g, 'members') as unknown[]) : []).flatMap((m) =>
            m && typeof m === 'object' && typeof (m as { value?: unknown }).value === 'string'
              ? [(m as { value: string }).value]
              : [],
          ),
        ),
      })),
    );
    this.#groups.catch(() => {
      this.#groups = undefined;
    });
    return this.#groups;
  }

  /**
   * POST a new resource. When the answer is lost (a dropped connection, a 5xx: the create may or may
   * not have happened), the resource is looked up by its natural key (`key`) before it is sent
   * again, so a retry never makes a second one.
   */
  async createResource(
    type: 'User' | 'Group',
    body: Record<string, unknown>,
    key: { attribute: string; value: string },
    what: string,
  ): Promise<ScimResource> {
    for (let attempt = 1; ; attempt++) {
      this.#groups = undefined;
      try {
        return this.seen(await this.client.create(this.endpoint(type), body, what));
      } catch (err) {
        if (!(err instanceof OutcomeUnknownError) || attempt >= 4) throw err;
        const [made] = await this.find(type, key.attribute, key.value, `look up after: ${what}`);
        if (made) return made;
      }
    }
  }

  /**
   * Change a resource: `ops` as a PATCH when the server offers PATCH, else GET, `put(current)` and
   * PUT of the whole resource (RFC 7644 §3.5.1 clears what a PUT leaves out). With ETags, the version
   * the plan read goes in `If-Match`, so a change made since is a 412 for the caller to judge
   * (`ScimError.changedSinceRead`). A `commutative` change (adding or removing one group member)
   * holds whatever else changed: its PATCH carries no `If-Match`, its PUT the version just read,
   * and a PUT that lost a race is made again on the newer version.
   */
  async modify(
    type: 'User' | 'Group',
    id: string,
    ops: PatchOperation[],
    put: (current: ScimResource) => Record<string, unknown>,
    what: string,
    opts: { commutative?: boolean } = {},
  ): Promise<ScimResource> {
    this.#groups = undefined;
    const path = this.path(type, id);
    if (this.facts.patch)
      return this.seen(
        await this.client.patch(path, ops, what, opts.commutative ? undefined : this.#ifMatch(id)),
      );
    // The version of the plan's read, before the GET below replaces it: a change in between is a 412.
    const planned = opts.commutative ? undefined : this.#ifMatch(id);
    for (let attempt = 1; ; attempt++) {
      const current = await this.getResource(type, id, what);
      if (!current) throw errorOf(what, 404, { detail: 'the resource is gone' });
      const { meta: _meta, id: _id, groups: _groups, ...rest } = current;
      try {
        return this.seen(
          await this.client.put(path, put(rest as ScimResource), what, planned ?? this.#ifMatch(id)),
        );
      } catch (err) {
        if (!(opts.commutative && err instanceof ScimError && err.changedSinceRead && attempt < 5)) throw err;
      }
    }
  }

  async deleteResource(type: 'User' | 'Group', id: string, what: string): Promise<void> {
    this.#groups = undefined;
    await this.client.delete(this.path(type, id), what, this.#ifMatch(id));
    this.#versions.delete(id);
  }

  /**
   * Mutability the server's `/Schemas` states, as rules of the spec attributes they map to:
   * `immutable` and `readOnly` are refused as changes in the plan, `writeOnly` is never read back.
   */
  attributeRules(): Record<string, Record<string, Partial<AttributeRule>>> {
    const out: Record<string, Record<string, Partial<AttributeRule>>> = {};
    for (const [schema, attrs] of Object.entries(SPEC_ATTRIBUTE)) {
      for (const [name, [kind, attribute]] of Object.entries(attrs)) {
        const m = this.facts.mutability[schema]?.[name];
        const rule: Partial<AttributeRule> | undefined =
          m === 'immutable' || m === 'readOnly'
            ? { immutable: true }
            : m === 'writeOnly'
              ? { writeOnly: true, verifiable: false }
              : undefined;
        if (rule) out[kind] = { ...out[kind], [attribute]: rule };
      }
    }
    return out;
  }

  stats(): ConnectionStats {
    return this.client.stats();
  }

  async close(): Promise<void> {}

  #ifMatch(id: string): string | undefined {
    return this.facts.etag ? this.#versions.get(id) : undefined;
  }
}

/** The marker's value on a user: a core attribute, or `urn:…:Schema:attr` inside that extension. */
function markerValue(user: ScimResource, attribute: string): unknown {
  const i = attribute.lastIndexOf(':');
  if (i < 0) return field(user, attribute);
  const ext = field(user, attribute.slice(0, i));
  return ext && typeof ext === 'object'
    ? field(ext as Record<string, unknown>, attribute.slice(i + 1))
    : undefined;
}

/** The body of a create that carries the marker (a URN-qualified one inside its extension). */
export function withMarker(config: ScimConfig, body: Record<string, unknown>): Record<string, unknown> {
  const m = config.serviceAccounts;
  if (!m) return body;
  const i = m.attribute.lastIndexOf(':');
  if (i < 0) return { ...body, [m.attribute]: m.value };
  const urn = m.attribute.slice(0, i);
  const ext = (body[urn] as Record<string, unknown> | undefined) ?? {};
  return { ...body, [urn]: { ...ext, [m.attribute.slice(i + 1)]: m.value } };
}
