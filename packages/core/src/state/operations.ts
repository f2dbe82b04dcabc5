/**
 * `roster state list|show|rm|mv`: pure operations on a state document. They only change what roster
 * remembers, never the systems; each returns a new document with the serial bumped, for the caller to
 * write with `backend.write(next, doc.serial)` under the state lock.
 */
import { UserError } from '../diagnostics.js';
import { compileGlob, type Glob } from '../match/glob.js';
import { compareStrings } from './document.js';
import type { StateDocument, StateResource } from './types.js';

/**
 * The addresses in state, sorted. `filter` selects by address segments: `autotask-prod`,
 * `autotask-prod/ServiceAccount`, or a full address; `*` in a segment matches any text
 * (e.g. `autotask-*`).
 */
export function listAddresses(doc: StateDocument, filter?: string): string[] {
  const addresses = Object.keys(doc.resources).sort(compareStrings);
  if (filter === undefined || filter === '') return addresses;
  const patterns = filter.split('/').map(segmentPattern);
  return addresses.filter((address) => {
    const segments = address.split('/');
    return segments.length >= patterns.length && patterns.every((p, i) => p.test(segments[i]!));
  });
}

/** The resource at `address`, or a `UserError` suggesting near addresses. */
export function showResource(doc: StateDocument, address: string): StateResource {
  const resource = doc.resources[address];
  if (!resource) throw unknownAddress(doc, address);
  return resource;
}

/**
 * How roster knows each recorded attribute (`roster state show`): `verified` (read from the
 * system), `attested by WHO at WHEN` (a person confirmed what the system does not report), or
 * `fingerprint` (a sensitive value, kept only as a salted HMAC).
 */
export function attributeProvenance(resource: StateResource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(resource.attributes)) {
    const a = resource.attestations?.[key];
    if (a)
      out[key] = `attested by ${a.by} at ${a.at}${a.via === 'runbook' ? ' (runbook step found done)' : ''}`;
    else if (typeof value === 'string' && value.startsWith('hmac-sha256:')) out[key] = 'fingerprint';
    else out[key] = 'verified';
  }
  return out;
}

/**
 * Forget resources (`roster state rm`): the objects stay in their systems, roster stops managing them.
 * Every address must be in state. References to a removed address in other resources' `dependencies`
 * are dropped.
 */
export function removeResources(doc: StateDocument, addresses: readonly string[]): StateDocument {
  if (addresses.length === 0) throw new UserError('state rm: name at least one address');
  const unknown = [...new Set(addresses)].filter((a) => !Object.hasOwn(doc.resources, a));
  if (unknown.length === 1) throw unknownAddress(doc, unknown[0]!);
  if (unknown.length > 1) {
    throw new UserError(
      `no resources ${unknown.map((a) => JSON.stringify(a)).join(', ')} in state; nothing was removed (see roster state list)`,
    );
  }
  const removed = new Set(addresses);
  const resources: Record<string, StateResource> = {};
  for (const [address, resource] of Object.entries(doc.resources)) {
    if (removed.has(address)) continue;
    resources[address] = resource.dependencies.some((d) => removed.has(d))
      ? { ...resource, dependencies: resource.dependencies.filter((d) => !removed.has(d)) }
      : resource;
  }
  return { ...doc, serial: doc.serial + 1, resources };
}

/**
 * Rename a resource's address (`roster state mv`), e.g. after renaming it in its manifest, so roster
 * does not delete and re-create it. Provider and kind cannot change; only the name. References to the
 * old address in other resources' `dependencies` follow.
 */
export function moveResource(doc: StateDocument, from: string, to: string): StateDocument {
  const resource = doc.resources[from];
  if (!resource) throw unknownAddress(doc, from);
  const target = parseAddress(to);
  if (!target) {
    throw new UserError(
      `state mv: ${JSON.stringify(to)} is not a resource address; expected <provider>/<Kind>/<name>, e.g. ${resource.provider}/${resource.kind}/new-name`,
    );
  }
  if (target.provider !== resource.provider || target.kind !== resource.kind) {
    throw new UserError(
      `state mv: ${from} is a ${resource.provider}/${resource.kind}; it can only be renamed within ${resource.provider}/${resource.kind}/…, not moved to ${to} (a resource of another provider or kind is another object: import it instead)`,
    );
  }
  if (to === from) throw new UserError(`state mv: ${from} is already at that address`);
  if (Object.hasOwn(doc.resources, to)) {
    throw new UserError(`state mv: ${to} is already in state; remove it first (roster state rm ${to})`);
  }
  const resources: Record<string, StateResource> = {};
  for (const [address, r] of Object.entries(doc.resources)) {
    if (address === from) {
      resources[to] = { ...r, name: target.name };
    } else {
      resources[address] = r.dependencies.includes(from)
        ? { ...r, dependencies: r.dependencies.map((d) => (d === from ? to : d)) }
        : r;
    }
  }
  return { ...doc, serial: doc.serial + 1, resources };
}

/** Split `<provider>/<Kind>/<name>`; undefined unless it has exactly three non-empty segments without spaces. */
export function parseAddress(address: string): { provider: string; kind: string; name: string } | undefined {
  const parts = address.split('/');
  if (parts.length !== 3 || parts.some((p) => p === '' || /\s/.test(p))) return undefined;
  const [provider, kind, name] = parts as [string, string, string];
  return { provider, kind, name };
}

function unknownAddress(doc: StateDocument, address: string): UserError {
  const suggestions = closest(address, Object.keys(doc.resources));
  const hint =
    suggestions.length > 0
      ? `; did you mean ${suggestions.map((s) => JSON.stringify(s)).join(' or ')}?`
      : Object.keys(doc.resources).length === 0
        ? '; the state is empty'
        : ' (see roster state list)';
  return new UserError(`no resource ${JSON.stringify(address)} in state${hint}`);
}

/** Up to three candidates close to `input` (edit distance at most a third of its length, at least 2). */
function closest(input: string, candidates: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(input.length / 3));
  return candidates
    .map((c) => ({ c, d: editDistance(input.toLowerCase(), c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || compareStrings(a.c, b.c))
    .slice(0, 3)
    .map((x) => x.c);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function segmentPattern(segment: string): Glob {
  return compileGlob(segment);
}
