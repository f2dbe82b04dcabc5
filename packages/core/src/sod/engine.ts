import { compileGlob, type Glob } from '../match/glob.js';
import type { Permission, World, WorldResource } from '../permissions/types.js';
import type { KindDefinition } from '../provider.js';
import type { SodConflict, SodPack, SodRule } from './types.js';

/**
 * The packs the providers ship, each provider's part of a pack joined by id (sorted by id; rules in
 * the order given). Parts that disagree on the version are a bug of the providers: thrown.
 */
export function mergeSodPacks(parts: readonly SodPack[]): SodPack[] {
  const byId = new Map<string, { id: string; version: number; rules: SodRule[] }>();
  for (const part of parts) {
    const pack = byId.get(part.id);
    if (!pack) {
      byId.set(part.id, { id: part.id, version: part.version, rules: [...part.rules] });
      continue;
    }
    if (pack.version !== part.version)
      throw new Error(`SoD pack ${part.id} is shipped as version ${pack.version} and ${part.version}`);
    pack.rules.push(...part.rules);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

export interface SodConflictsRequest {
  packs: readonly SodPack[];
  world: World;
  /** The accounts to judge (of the world). */
  accounts: readonly WorldResource[];
}

/**
 * Every account holding a conflicting set, in its own system and in the systems it reaches: a
 * connection's effective permissions name the account it signs in as by its provider
 * (`<provider>: <permission>`), and those are judged by that provider's system's rules. Pure.
 */
export function sodConflicts(req: SodConflictsRequest): SodConflict[] {
  const typeOf = new Map<string, string>();
  for (const r of req.world.resources) typeOf.set(r.provider, r.providerType);
  const compiled = req.packs.flatMap((pack) =>
    pack.rules.map((rule) => ({ pack, rule, globs: rule.permissions.map((p) => compileGlob(p)) })),
  );
  const out: SodConflict[] = [];
  for (const account of req.accounts) {
    const bySystem = heldBySystem(account, req.world.permissionsOf(account), typeOf);
    for (const { pack, rule, globs } of compiled) {
      for (const [via, held] of bySystem.get(rule.system) ?? []) {
        const conflict = match(rule, globs, held);
        if (!conflict) continue;
        out.push({
          pack: pack.id,
          version: pack.version,
          rule: rule.id,
          system: rule.system,
          address: account.address,
          ...(via !== account.provider ? { via } : {}),
          held: conflict.held,
          reason: rule.reason,
          // A connection's grants come from the account it signs in as: its pointers are that manifest's.
          ...(conflict.pointer && via === account.provider ? { pointer: conflict.pointer } : {}),
        });
      }
    }
  }
  return out;
}

/**
 * An account's permissions per system, then per provider it holds them through: its own (under its
 * provider), and those a connection reaches (`<provider>: <name>`, under that provider).
 */
function heldBySystem(
  account: WorldResource,
  permissions: readonly Permission[],
  typeOf: ReadonlyMap<string, string>,
): Map<string, Map<string, Permission[]>> {
  const out = new Map<string, Map<string, Permission[]>>();
  const add = (provider: string, system: string, p: Permission) => {
    let providers = out.get(system);
    if (!providers) {
      providers = new Map();
      out.set(system, providers);
    }
    const list = providers.get(provider) ?? [];
    list.push(p);
    providers.set(provider, list);
  };
  for (const p of permissions) {
    const colon = p.name.indexOf(': ');
    const prefix = colon > 0 ? p.name.slice(0, colon) : undefined;
    const reached = prefix !== undefined && prefix !== account.provider ? typeOf.get(prefix) : undefined;
    if (reached !== undefined && prefix !== undefined)
      add(prefix, reached, { ...p, name: p.name.slice(colon + 2) });
    else add(account.provider, account.providerType, p);
  }
  return out;
}

function match(
  rule: SodRule,
  globs: readonly Glob[],
  held: readonly Permission[],
): { held: SodConflict['held']; pointer?: string } | undefined {
  const out: SodConflict['held'] = [];
  let pointer: string | undefined;
  for (const [i, glob] of globs.entries()) {
    const hits = held.filter((p) => glob.test(p.name));
    if (hits.length === 0) return undefined;
    pointer ??= hits.find((p) => p.pointer)?.pointer;
    out.push({ pattern: rule.permissions[i]!, permissions: hits.map((p) => p.name) });
  }
  return { held: out, ...(pointer ? { pointer } : {}) };
}

/** The accounts and connections of a world (what SoD judges): kinds whose role says so. */
export function sodSubjects(
  resources: readonly WorldResource[],
  kindOf: (provider: string, kind: string) => KindDefinition | undefined,
): WorldResource[] {
  return resources.filter((r) => {
    const role = kindOf(r.provider, r.kind)?.role;
    return role === 'account' || role === 'connector';
  });
}

/** One line about a conflict: what the account holds together, and why that matters. */
export function sodConflictMessage(c: SodConflict): string {
  const held = c.held.map((h) => h.permissions[0]).join(' and ');
  const via = c.via ? ` in ${c.via}, through the account it signs in as` : '';
  return `${c.address} holds ${held} together${via}: ${c.reason} (SoD ${c.pack} v${c.version}, ${c.rule})`;
}
