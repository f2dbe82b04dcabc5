import type { KindRole, Provider } from '../provider.js';

/** A resource kind as the registered providers declare it: its role(s) and the types that have it. */
export interface ResourceKind {
  kind: string;
  /** Normally one; two provider types may give one name different roles. */
  roles: KindRole[];
  /** Provider types that declare the kind, in registration order. */
  types: string[];
}

/**
 * The resource kinds that exist: every kind some provider declares, in order of first declaration.
 * Core has no list of its own; a provider adds a kind by declaring it.
 */
export function resourceKinds(providers: readonly Provider[]): ResourceKind[] {
  const byName = new Map<string, ResourceKind>();
  for (const p of providers) {
    for (const [kind, def] of Object.entries(p.kinds)) {
      let entry = byName.get(kind);
      if (!entry) {
        entry = { kind, roles: [], types: [] };
        byName.set(kind, entry);
      }
      if (!entry.roles.includes(def.role)) entry.roles.push(def.role);
      if (!entry.types.includes(p.type)) entry.types.push(p.type);
    }
  }
  return [...byName.values()];
}

/** What each role means, in the words the envelope schema's `kind` description uses. */
export const ROLE_SUMMARIES: Readonly<Record<KindRole, string>> = {
  account:
    'an account integrations sign in as (API user, web services user, integration account, token user)',
  role: 'a security level or role: rights given to accounts',
  group: 'a user group',
  connector: 'an app connector or connection',
};
