import type {
  Execution,
  KindApi,
  KindDefinition,
  ManualOperation,
  Operation,
  ProviderConnection,
  RunbookRequest,
  RunbookStep,
} from './provider.js';
import type { SandboxConsole } from './sandbox-host.js';

/** A kind's API operation core may call (`KindApi`'s members). */
export type ApiMethod = keyof KindApi & keyof ProviderConnection;

/** How each operation of a kind is carried out, rotation included (`none`: not possible). */
export type KindCapabilities = Record<Operation | 'rotate', Execution>;

/** The methods an operation declared `api` needs (reading is listing and reading by id). */
export const API_METHODS: Readonly<Record<Operation | 'rotate', readonly ApiMethod[]>> = {
  create: ['create'],
  read: ['list', 'read'],
  update: ['update'],
  delete: ['delete'],
  rotate: ['rotate'],
};

/**
 * How each operation of a kind is carried out, derived from what it declares: an operation with
 * its `api` method(s) is `api`, one with a `runbook` step is `manual`, anything else `none`.
 * (Kinds still in the transitional form give `capabilities` and `rotate` themselves.)
 */
export function kindCapabilities(def: KindDefinition): KindCapabilities {
  return def.capabilities
    ? { ...def.capabilities, rotate: def.rotate ?? 'none' }
    : {
        create: executionOf(def, 'create', ['create']),
        read: def.api?.list || def.api?.read ? 'api' : 'none',
        update: executionOf(def, 'update', ['update']),
        delete: executionOf(def, 'delete', ['delete']),
        rotate: executionOf(def, 'rotate', ['rotate']),
      };
}

function executionOf(def: KindDefinition, op: ManualOperation, methods: readonly ApiMethod[]): Execution {
  if (methods.every((m) => typeof def.api?.[m] === 'function')) return 'api';
  return typeof def.runbook === 'object' && def.runbook[op] ? 'manual' : 'none';
}

type ApiMethods = Required<Pick<ProviderConnection, ApiMethod>>;

/**
 * A connection as core uses it: the provider's own connection (stats, close, validate) with each
 * API method dispatching to the kind named in the request (`KindApi`, the connection passed in
 * the request). A method is present when some kind has it. On a sandbox, `operate` is its console's. (Kinds in the transitional form,
 * without `api`, reach the provider connection's own method.)
 */
export function kindSession(
  kinds: Readonly<Record<string, KindDefinition>>,
  conn: ProviderConnection,
  sandboxConsole?: SandboxConsole,
): ProviderConnection {
  const session: ProviderConnection = {
    stats: () => conn.stats(),
    close: () => conn.close(),
  };
  if (conn.validate) session.validate = conn.validate.bind(conn);
  if (conn.attributeRules) session.attributeRules = conn.attributeRules.bind(conn);
  if (sandboxConsole) session.operate = (req) => sandboxConsole.operate(req);
  else if (conn.operate) session.operate = conn.operate.bind(conn);
  const defs = Object.values(kinds);
  for (const method of ['list', 'read', 'create', 'update', 'delete', 'rotate', 'test'] as const) {
    const own = (d: KindDefinition) => typeof d.api?.[method] === 'function';
    const legacy = typeof conn[method] === 'function' && defs.some((d) => !d.api);
    if (!defs.some(own) && !legacy) continue;
    // Async, so a kind without the method rejects like any failed call rather than throwing at once.
    (session as unknown as Record<string, unknown>)[method] = async (req: { kind: string }) => {
      const def = kinds[req.kind];
      const fn = def?.api?.[method] as ((r: unknown) => Promise<unknown>) | undefined;
      if (typeof fn === 'function') return fn.call(def!.api, { ...req, connection: conn });
      const fallback = conn[method] as ((r: unknown) => Promise<unknown>) | undefined;
      if (def && !def.api && typeof fallback === 'function') return fallback.call(conn, req);
      throw new Error(`${req.kind}: an operation declared api needs the kind's ${method}, which it lacks`);
    };
  }
  return session;
}

/**
 * The session's method for an operation core carries out by API for `kind`. The plan only
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
    throw new Error(`${kind}: an operation declared api needs the kind's ${method}, which it lacks`);
  return (fn as (...args: never[]) => unknown).bind(conn) as ApiMethods[M];
}

/** The runbook step of a manual operation, or undefined when the kind has none for it. */
export function runbookStep(def: KindDefinition, req: RunbookRequest): RunbookStep | undefined {
  if (typeof def.runbook === 'function') return def.runbook(req);
  return def.runbook?.[req.operation]?.(req);
}

/**
 * Where a provider's kinds do not hold together: a readable kind with only one of `list` and
 * `read`; an attribute updated by hand with no `update` runbook step; and, for kinds in the
 * transitional form, an operation declared `api` whose connection method is missing or a
 * connection method no kind declares (a stub). Empty when they agree.
 */
export function apiMismatches(
  kinds: Readonly<Record<string, KindDefinition>>,
  conn: ProviderConnection,
): string[] {
  const found: string[] = [];
  const used = new Set<string>();
  let legacyKinds = 0;
  for (const [kind, def] of Object.entries(kinds)) {
    if (def.api) {
      if (Boolean(def.api.list) !== Boolean(def.api.read))
        found.push(`${kind} is readable by API but has only ${def.api.list ? 'list' : 'read'}: give it both`);
      const manualAttr = Object.entries(def.attributes).find(([, r]) => r.update === 'manual');
      if (manualAttr && !runbookHas(def, 'update'))
        found.push(`${kind}.${manualAttr[0]} is updated by hand, but the kind's runbook has no update step`);
      continue;
    }
    legacyKinds++;
    const caps = kindCapabilities(def);
    for (const [op, methods] of Object.entries(API_METHODS) as Array<
      [Operation | 'rotate', readonly ApiMethod[]]
    >) {
      if (caps[op] !== 'api') continue;
      for (const m of methods) {
        used.add(m);
        if (typeof (conn as unknown as Record<string, unknown>)[m] !== 'function')
          found.push(`${kind} declares ${op}: api, but the connection has no ${m}`);
      }
    }
  }
  for (const m of new Set([...Object.values(API_METHODS).flat(), 'test'])) {
    if (typeof (conn as unknown as Record<string, unknown>)[m] !== 'function' || used.has(m)) continue;
    if (m === 'test' && legacyKinds > 0) continue; // the transitional form signs in on the connection
    found.push(
      legacyKinds > 0 && m !== 'test'
        ? `the connection has ${m}, but no kind declares its operation api`
        : `the connection has ${m}: a kind's operations belong in its api`,
    );
  }
  return [...new Set(found)];
}

function runbookHas(def: KindDefinition, op: ManualOperation): boolean {
  return typeof def.runbook === 'function' || Boolean(def.runbook?.[op]);
}

/** Whether roster cannot read objects of this kind back from the system (undefined: not a kind it knows). */
export function isUnreadable(def: KindDefinition | undefined): boolean {
  return def !== undefined && kindCapabilities(def).read === 'none';
}
