import type { KindDefinition, Operation, ProviderConnection } from './provider.js';

/** A `ProviderConnection` method that calls the system's API for one of the CRUD operations. */
export type ApiMethod = 'list' | 'read' | 'create' | 'update' | 'delete';

type ApiMethods = Required<Pick<ProviderConnection, ApiMethod>>;

/** The connection methods an operation declared `api` needs (reading is listing and reading by id). */
export const API_METHODS: Readonly<Record<Operation, readonly ApiMethod[]>> = {
  create: ['create'],
  read: ['list', 'read'],
  update: ['update'],
  delete: ['delete'],
};

/**
 * The connection's method for an operation core carries out by API for `kind`. The plan only
 * chooses `api` where the kind declares it, so a missing method is a provider bug (the contract
 * suite's `apiMismatches` row finds it first): an exception, not a diagnostic.
 */
export function apiMethod<M extends ApiMethod>(
  conn: ProviderConnection,
  method: M,
  kind: string,
): ApiMethods[M] {
  const fn = conn[method] as ApiMethods[M] | undefined;
  if (typeof fn !== 'function')
    throw new Error(`${kind}: an operation declared api needs the connection's ${method}, which it lacks`);
  return (fn as (...args: never[]) => unknown).bind(conn) as ApiMethods[M];
}

/**
 * Where a provider's kinds and its connection disagree: an operation a kind declares `api` whose
 * method the connection lacks (core would fail mid-apply), or a method no kind declares `api` for
 * (a stub: the operation is manual or impossible everywhere, so the method must be absent). Same
 * for `rotate`. Empty when they agree.
 */
export function apiMismatches(
  kinds: Readonly<Record<string, KindDefinition>>,
  conn: ProviderConnection,
): string[] {
  const found: string[] = [];
  const used = new Set<string>();
  for (const [kind, def] of Object.entries(kinds)) {
    for (const [op, methods] of Object.entries(API_METHODS) as Array<[Operation, readonly ApiMethod[]]>) {
      if (def.capabilities[op] !== 'api') continue;
      for (const m of methods) {
        used.add(m);
        if (typeof conn[m] !== 'function')
          found.push(`${kind} declares ${op}: api, but the connection has no ${m}`);
      }
    }
    if (def.rotate === 'api') {
      used.add('rotate');
      if (typeof conn.rotate !== 'function')
        found.push(`${kind} declares rotate: api, but the connection has no rotate`);
    }
  }
  for (const m of [...Object.values(API_METHODS).flat(), 'rotate' as const])
    if (typeof conn[m] === 'function' && !used.has(m))
      found.push(`the connection has ${m}, but no kind declares its operation api`);
  return [...new Set(found)];
}
