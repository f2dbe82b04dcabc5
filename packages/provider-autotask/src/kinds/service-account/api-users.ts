import { type Logger, type RemoteObject, UserError } from '@roster/core';
import type { AutotaskClient, FieldInfo, Row } from '../../client/client.js';
import { normalizeEmail } from './spec.js';

const ENTITY = 'Resources';
/** The picklist fields that can say a resource is an API user, in the order they are asked. */
const KIND_FIELDS = ['licenseType', 'userType'] as const;
/** What roster reads of a resource; `licenseType` / `userType` tell API users from the others. */
const INCLUDE_FIELDS = ['id', 'firstName', 'lastName', 'email', 'isActive', ...KIND_FIELDS];
/** A picklist label that names API users ("API User", "API User (system)", "Utilisateur API"). */
const API_LABEL = /\bAPI\b/i;
/** spec attribute → REST field, for what the API can write. */
const WRITABLE: Readonly<Record<string, string>> = {
  firstName: 'firstName',
  lastName: 'lastName',
  email: 'email',
  active: 'isActive',
};

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Which picklist field tells an API user, and its values whose label names API users. */
export interface ApiUserMarker {
  field: (typeof KIND_FIELDS)[number];
  values: ReadonlySet<number>;
}

/**
 * Autotask's Resources picklists name no API-user value: roster cannot tell API users from
 * interactive ones, and refuses rather than guess.
 */
export class NoApiUserPicklistError extends UserError {}

/**
 * Read from `entityInformation/fields` which resources are API users: the first of `licenseType`,
 * `userType` whose picklist has a value labelled as an API user. Autotask does not document the
 * numbers (they are per database), so only the labels count; when none names API users, this
 * refuses with the labels it found — treating every resource as an API user (or none) would let
 * a manifest take over an interactive user, or adopt nothing.
 */
export function apiUserMarker(fields: readonly FieldInfo[]): ApiUserMarker {
  const seen: string[] = [];
  for (const name of KIND_FIELDS) {
    const f = fields.find((x) => x.name?.toLowerCase() === name.toLowerCase());
    const picklist = Array.isArray(f?.picklistValues) ? f.picklistValues : [];
    const values = picklist
      .filter((p) => p.isActive !== false && API_LABEL.test(p.label ?? ''))
      .map((p) => Number(p.value))
      .filter((n) => Number.isInteger(n));
    if (values.length > 0) return { field: name, values: new Set(values) };
    seen.push(
      `${name}: ${picklist.length > 0 ? picklist.map((p) => JSON.stringify(p.label ?? '')).join(', ') : f ? 'no picklist values' : 'no such field'}`,
    );
  }
  throw new NoApiUserPicklistError(
    `Autotask's Resources picklists name no API user (${seen.join('; ')}), so roster cannot tell API users from interactive users and stops rather than guess. Check that roster's API user can read Resources/entityInformation/fields, and that the database's licenseType or userType picklist has a value labelled "API User".`,
  );
}

/**
 * Autotask API users over the REST API: every resource is listed (one paged query), API users by
 * their license type (or user type) label, the others marked as conflicts so a manifest cannot take
 * over an interactive user's e-mail. Security level, integration vendor and locked are not
 * readable, so they are never part of what is returned (the engine keeps them as attested).
 */
export class ApiUsers {
  #marker: Promise<ApiUserMarker> | undefined;
  constructor(
    readonly client: AutotaskClient,
    readonly log?: Logger,
  ) {}

  /** Which resources are API users, read once per connection (see {@link apiUserMarker}). */
  marker(): Promise<ApiUserMarker> {
    this.#marker ??= this.client.fields(ENTITY).then(apiUserMarker);
    // A failed read (network, threshold) is not kept: the next call asks again.
    this.#marker.catch(() => {
      this.#marker = undefined;
    });
    return this.#marker;
  }

  /** A resource as a ServiceAccount object. */
  toRemote(row: Row, marker: ApiUserMarker): RemoteObject {
    const id = String(row.id);
    const email = text(row.email) ?? '';
    const attributes: Record<string, unknown> = {};
    for (const k of ['firstName', 'lastName'] as const) {
      const v = text(row[k]);
      if (v !== undefined) attributes[k] = v;
    }
    if (email) attributes.email = email;
    if (typeof row.isActive === 'boolean') attributes.active = row.isActive;
    const apiUser = marker.values.has(Number(row[marker.field]));
    return {
      id,
      naturalKey: normalizeEmail(email) || `#${id}`,
      attributes,
      // The generated key other resources wire in with { ref, output: username } (e.g. the account
      // a Getint connection signs in as).
      ...(text(row.userName) ? { outputs: { username: text(row.userName) } } : {}),
      ...(row.isActive === false ? { deactivated: true } : {}),
      ...(apiUser
        ? {}
        : {
            conflict: `${email || `resource ${id}`} belongs to an Autotask resource that is not an API user (resource ${id}); roster manages API users only`,
          }),
    };
  }

  /**
   * Every resource, in one paged query. Several API users may share an e-mail (a replaced API user
   * keeps its address): within one e-mail, API users come before other resources, active ones
   * first, newest (highest id) first, so the one a natural-key lookup finds is the live one.
   */
  async list(): Promise<RemoteObject[]> {
    const [rows, marker] = await Promise.all([
      this.client.query(ENTITY, {
        filter: [{ op: 'gte', field: 'id', value: 0 }],
        includeFields: INCLUDE_FIELDS,
      }),
      this.marker(),
    ]);
    return rows
      .map((r) => this.toRemote(r, marker))
      .sort((a, b) => {
        if (a.naturalKey !== b.naturalKey) return a.naturalKey < b.naturalKey ? -1 : 1;
        if (!a.conflict !== !b.conflict) return a.conflict ? 1 : -1;
        if (!a.deactivated !== !b.deactivated) return a.deactivated ? 1 : -1;
        return Number(b.id) - Number(a.id);
      });
  }

  /** One resource by id; undefined when there is none. */
  async read(id: string): Promise<RemoteObject | undefined> {
    const [row, marker] = await Promise.all([this.client.get(ENTITY, id), this.marker()]);
    return row ? this.toRemote(row, marker) : undefined;
  }

  /**
   * PATCH the attributes the API can write (names, e-mail, isActive) and read the result back.
   * Attributes only the UI can change (security level, locked, integration vendor) and roster's
   * own (credentials) are never sent: the engine hands those out as manual steps.
   */
  async update(id: string, prior: RemoteObject, changes: Record<string, unknown>): Promise<RemoteObject> {
    const resourceId = Number(id);
    if (!Number.isInteger(resourceId))
      throw new Error(`Autotask resource ids are numbers; got ${JSON.stringify(id)}`);
    const body: Row & { id: number } = { id: resourceId };
    for (const [attr, field] of Object.entries(WRITABLE)) if (attr in changes) body[field] = changes[attr];
    const ignored = Object.keys(changes).filter((k) => !(k in WRITABLE));
    if (ignored.length > 0)
      this.log?.debug(`autotask: not sent by API (UI only or roster's own): ${ignored.join(', ')}`);
    const who = prior.naturalKey || `resource ${id}`;
    if (Object.keys(body).length > 1) {
      const what =
        Object.keys(body).length === 2 && body.isActive !== undefined
          ? `${body.isActive ? 'reactivate' : 'deactivate'} API user ${who}`
          : `update API user ${who}`;
      await this.client.patch(ENTITY, body, what);
    }
    const after = await this.read(id);
    if (!after) throw new Error(`API user ${who} (resource ${id}) is no longer in Autotask`);
    return after;
  }
}
