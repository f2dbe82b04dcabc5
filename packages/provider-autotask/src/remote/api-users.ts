import type { Logger, RemoteObject } from '@roster/core';
import type { AutotaskClient, Row } from '../client.js';
import { normalizeEmail } from '../kinds/service-account.js';

const ENTITY = 'Resources';
/** What roster reads of a resource; `licenseType` tells API users from the others. */
const INCLUDE_FIELDS = ['id', 'firstName', 'lastName', 'email', 'isActive', 'licenseType'];
/** spec attribute → REST field, for what the API can write. */
const WRITABLE: Readonly<Record<string, string>> = {
  firstName: 'firstName',
  lastName: 'lastName',
  email: 'email',
  active: 'isActive',
};

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Autotask API users over the REST API: every resource is listed (one paged query), API users by
 * their license type, the others marked as conflicts so a manifest cannot take over an interactive
 * user's e-mail. Security level, integration vendor and locked are not readable, so they are never
 * part of what is returned (the engine keeps them as attested).
 */
export class ApiUsers {
  #licenses: Promise<Set<number> | undefined> | undefined;
  constructor(
    readonly client: AutotaskClient,
    readonly log?: Logger,
  ) {}

  /**
   * The `licenseType` values that mean an API user. The numbers are not documented, so they come
   * from the picklist's labels (`entityInformation/fields`), once per connection. Undefined when no
   * label says so: then every resource is treated as an API user rather than none.
   */
  licenses(): Promise<Set<number> | undefined> {
    this.#licenses ??= this.client.fields(ENTITY).then((fields) => {
      const f = fields.find((x) => x.name?.toLowerCase() === 'licensetype');
      const values = (f?.picklistValues ?? [])
        .filter((p) => /\bAPI\b/i.test(p.label ?? ''))
        .map((p) => Number(p.value))
        .filter((n) => Number.isFinite(n));
      if (values.length === 0) {
        this.log?.debug(
          'autotask: no "API User" license type in the Resources picklist; every resource counts as one',
        );
        return undefined;
      }
      return new Set(values);
    });
    return this.#licenses;
  }

  /** A resource as a ServiceAccount object. */
  toRemote(row: Row, apiLicenses: Set<number> | undefined): RemoteObject {
    const id = String(row.id);
    const email = text(row.email) ?? '';
    const attributes: Record<string, unknown> = {};
    for (const k of ['firstName', 'lastName'] as const) {
      const v = text(row[k]);
      if (v !== undefined) attributes[k] = v;
    }
    if (email) attributes.email = email;
    if (typeof row.isActive === 'boolean') attributes.active = row.isActive;
    const apiUser = !apiLicenses || apiLicenses.has(Number(row.licenseType));
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
    const [rows, licenses] = await Promise.all([
      this.client.query(ENTITY, {
        filter: [{ op: 'gte', field: 'id', value: 0 }],
        includeFields: INCLUDE_FIELDS,
      }),
      this.licenses(),
    ]);
    return rows
      .map((r) => this.toRemote(r, licenses))
      .sort((a, b) => {
        if (a.naturalKey !== b.naturalKey) return a.naturalKey < b.naturalKey ? -1 : 1;
        if (!a.conflict !== !b.conflict) return a.conflict ? 1 : -1;
        if (!a.deactivated !== !b.deactivated) return a.deactivated ? 1 : -1;
        return Number(b.id) - Number(a.id);
      });
  }

  /** One resource by id; undefined when there is none. */
  async read(id: string): Promise<RemoteObject | undefined> {
    const [row, licenses] = await Promise.all([this.client.get(ENTITY, id), this.licenses()]);
    return row ? this.toRemote(row, licenses) : undefined;
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
