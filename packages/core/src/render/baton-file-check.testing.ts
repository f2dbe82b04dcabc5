/**
 * Test support: does a document load in ConductorOne's baton-file connector? Two layers, both
 * written from the connector's sources (cited in `baton-file.schema.json`), not from roster's
 * renderer: the transcribed JSON Schema (fields, required ones, value sets, lengths), then the
 * cross-section rules its loader applies before a sync (`pkg/client/loader.go`: ValidateUniqueIDs,
 * ValidateTraits, ValidateSecretFields, ValidateReferences), plus two places where the connector
 * would silently drop data rather than fail (duplicate entitlement keys, a second trait for a
 * resource type, a resource typed `user`), which roster must not produce either.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const schema = JSON.parse(readFileSync(new URL('./baton-file.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true }).compile(schema);

type Row = Record<string, unknown>;
const rows = (doc: Row, key: string): Row[] => (Array.isArray(doc[key]) ? (doc[key] as Row[]) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Every reason the connector would refuse `doc` (or lose part of it); empty when it loads whole. */
export function batonFileProblems(doc: unknown): string[] {
  if (!validate(doc)) {
    return (validate.errors ?? []).map((e) => `schema: ${e.instancePath || '/'} ${e.message}`);
  }
  const d = doc as Row;
  const problems: string[] = [];
  const users = rows(d, 'users');
  const resources = rows(d, 'resources');
  const userIds = new Set<string>();
  const allIds = new Set<string>();
  for (const r of [...users, ...resources]) {
    const id = str(r.id);
    if (allIds.has(id)) problems.push(`duplicate id ${id} across users and resources`);
    allIds.add(id);
  }
  for (const u of users) userIds.add(str(u.id));

  const traitOf = new Map<string, string>();
  for (const r of resources) {
    const type = str(r.resource_type).toLowerCase();
    const trait = str(r.trait).toLowerCase();
    if (type === 'user')
      problems.push(`resource ${str(r.id)} has resource_type user (skipped by the connector)`);
    const prior = traitOf.get(type);
    if (prior && prior !== trait) problems.push(`resource_type ${type} has traits ${prior} and ${trait}`);
    traitOf.set(type, trait);
    if (trait !== 'secret') {
      for (const f of ['created_at', 'expires_at', 'created_by', 'identity']) {
        if (r[f] !== undefined) problems.push(`resource ${str(r.id)} (trait ${trait}) uses secret-only ${f}`);
      }
    }
    if (r.parent_resource !== undefined && !allIds.has(str(r.parent_resource))) {
      problems.push(`resource ${str(r.id)}: parent_resource ${str(r.parent_resource)} does not exist`);
    }
    for (const f of ['created_by', 'identity']) {
      if (r[f] === undefined) continue;
      const ref = str(r[f]);
      const [type, id] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
      const known =
        type === 'user' ? userIds.has(id) : resources.some((x) => x.id === id && x.resource_type === type);
      if (!known) problems.push(`resource ${str(r.id)}: ${f} ${ref} does not resolve`);
    }
  }

  const entitlementKeys = new Set<string>();
  for (const e of rows(d, 'entitlements')) {
    const key = `${str(e.resource_id)}:${str(e.entitlement_slug)}`;
    if (!allIds.has(str(e.resource_id))) problems.push(`entitlement ${key}: resource does not exist`);
    if (entitlementKeys.has(key)) problems.push(`entitlement ${key} defined twice`);
    entitlementKeys.add(key);
  }
  rows(d, 'direct_user_grants').forEach((g, i) => {
    const key = `${str(g.resource_id)}:${str(g.entitlement_slug)}`;
    if (!userIds.has(str(g.principal_id)))
      problems.push(`grant #${i + 1}: principal ${str(g.principal_id)} is not a user`);
    if (!allIds.has(str(g.resource_id)))
      problems.push(`grant #${i + 1}: resource ${str(g.resource_id)} does not exist`);
    if (!entitlementKeys.has(key)) problems.push(`grant #${i + 1}: entitlement ${key} does not exist`);
  });
  return problems;
}
