import { ENTERPRISE_SCHEMA, USER_SCHEMA } from '../../client/discovery.js';
import type { ScimResource } from '../../client/scim-client.js';
import type { ServiceAccountSpec } from './spec.js';

const ENTERPRISE_FIELDS = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'] as const;
const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** A key of `obj` named `name` regardless of case (SCIM attribute names are case-insensitive). */
export function field(obj: Record<string, unknown>, name: string): unknown {
  const lower = name.toLowerCase();
  const k = Object.keys(obj).find((x) => x.toLowerCase() === lower);
  return k === undefined ? undefined : obj[k];
}

/** The natural key of a user: its userName, compared without regard to case (RFC 7643 §4.1). */
export const userKey = (userName: string) => userName.toLowerCase();

/**
 * A SCIM User in the shape of the ServiceAccount spec (without `groups`, which come from group
 * membership). An absent `active` is true: a server that does not track it never deactivates.
 */
export function userAttributes(r: ScimResource): Omit<ServiceAccountSpec, 'groups'> {
  const out: Record<string, unknown> = { userName: String(field(r, 'userName') ?? '') };
  const displayName = field(r, 'displayName');
  if (typeof displayName === 'string') out.displayName = displayName;
  const emails = field(r, 'emails');
  if (Array.isArray(emails) && emails.length > 0)
    out.emails = emails.filter(isObject).map((e) => ({
      value: String(e.value),
      ...(typeof e.type === 'string' ? { type: e.type } : {}),
      ...(typeof e.primary === 'boolean' ? { primary: e.primary } : {}),
    }));
  const active = field(r, 'active');
  out.active = active === undefined || active === null ? true : active === true || active === 'true';
  const externalId = field(r, 'externalId');
  if (typeof externalId === 'string') out.externalId = externalId;
  const ext = field(r, ENTERPRISE_SCHEMA);
  if (isObject(ext)) {
    const e: Record<string, string> = {};
    for (const f of ENTERPRISE_FIELDS) {
      const v = field(ext, f);
      if (typeof v === 'string') e[f] = v;
    }
    if (Object.keys(e).length > 0) out.enterprise = e;
  }
  return out as Omit<ServiceAccountSpec, 'groups'>;
}

/** The SCIM attributes of a spec's attributes (what is not given is left out). */
export function userBody(attrs: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const k of ['userName', 'displayName', 'emails', 'active', 'externalId'] as const)
    if (attrs[k] !== undefined && attrs[k] !== null) body[k] = attrs[k];
  if (isObject(attrs.enterprise)) body[ENTERPRISE_SCHEMA] = attrs.enterprise;
  return body;
}

/** `schemas` of a User body: the core schema, and each extension the body has a sub-object of. */
export const userSchemas = (body: Record<string, unknown>) => [
  USER_SCHEMA,
  ...Object.keys(body).filter((k) => k.toLowerCase().startsWith('urn:')),
];

/**
 * The SCIM paths and values of a changed spec attribute in a PATCH: the enterprise fields one by one
 * (URN-qualified), only those that differ from `prior`.
 */
export function patchPaths(
  name: string,
  value: unknown,
  prior: unknown,
): Array<{ path: string; value: unknown }> {
  if (name !== 'enterprise') return [{ path: name, value }];
  const e = isObject(value) ? value : {};
  const p = isObject(prior) ? prior : {};
  return ENTERPRISE_FIELDS.filter((f) => e[f] !== p[f]).map((f) => ({
    path: `${ENTERPRISE_SCHEMA}:${f}`,
    value: e[f],
  }));
}
