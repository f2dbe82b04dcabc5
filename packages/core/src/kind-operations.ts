import type {
  CreateRequest,
  CreateResult,
  DeleteRequest,
  DeleteResult,
  Execution,
  KindApi,
  KindDefinition,
  ListRequest,
  ListResult,
  OperateRequest,
  OperateResult,
  Operation,
  ProviderConnection,
  ReadRequest,
  ReadResult,
  RotateRequest,
  RunbookRequest,
  RunbookStep,
  TestRequest,
  TestResult,
  UpdateRequest,
  UpdateResult,
} from './provider.js';
import type { SandboxConsole } from './sandbox-host.js';

/** A kind's API operation core may call (`KindApi`'s members). */
export type ApiMethod = keyof KindApi;

/** How each operation of a kind is carried out, rotation included (`none`: not possible). */
export type KindCapabilities = Record<Operation | 'rotate', Execution>;

/**
 * A connection as core uses it: the provider's session (`ProviderConnection`) with each kind
 * operation reachable by the kind named in its request, and, on a sandbox, its console's `operate`.
 * Core-internal: providers implement `ProviderConnection` and `KindApi`, never this.
 */
export interface KindSession extends ProviderConnection {
  list?(req: ListRequest): Promise<ListResult>;
  read?(req: ReadRequest): Promise<ReadResult>;
  create?(req: CreateRequest): Promise<CreateResult>;
  update?(req: UpdateRequest): Promise<UpdateResult>;
  delete?(req: DeleteRequest): Promise<DeleteResult>;
  rotate?(req: RotateRequest): Promise<OperateResult>;
  test?(req: TestRequest): Promise<TestResult>;
  /** A manual step done through the sandbox's console (`apply --sandbox-operator`). */
  operate?(req: OperateRequest): Promise<OperateResult>;
}

const METHODS: readonly ApiMethod[] = ['list', 'read', 'create', 'update', 'delete', 'rotate', 'test'];

/**
 * How each operation of a kind is carried out, derived from what it declares: an operation with
 * its `api` method(s) is `api`, one with a `runbook` step is `manual`, anything else `none`.
 */
export function kindCapabilities(def: KindDefinition): KindCapabilities {
  return {
    create: executionOf(def, 'create'),
    read: def.api?.list && def.api.read ? 'api' : 'none',
    update: executionOf(def, 'update'),
    delete: executionOf(def, 'delete'),
    rotate: executionOf(def, 'rotate'),
  };
}

function executionOf(def: KindDefinition, op: 'create' | 'update' | 'delete' | 'rotate'): Execution {
  if (typeof def.api?.[op] === 'function') return 'api';
  return def.runbook?.[op] ? 'manual' : 'none';
}

/** Whether roster cannot read objects of this kind back from the system (undefined: not a kind it knows). */
export function isUnreadable(def: KindDefinition | undefined): boolean {
  return def !== undefined && kindCapabilities(def).read === 'none';
}

/**
 * The session core uses for one provider instance: the provider's connection (stats, close,
 * validate) with each kind operation dispatching to the kind named in the request, the connection
 * passed in as `connection`. A method is present when some kind has it.
 */
export function kindSession(
  kinds: Readonly<Record<string, KindDefinition>>,
  conn: ProviderConnection,
  sandboxConsole?: SandboxConsole,
): KindSession {
  const session: KindSession = { stats: () => conn.stats(), close: () => conn.close() };
  if (conn.validate) session.validate = conn.validate.bind(conn);
  if (conn.attributeRules) session.attributeRules = conn.attributeRules.bind(conn);
  if (sandboxConsole) session.operate = (req) => sandboxConsole.operate(req);
  const defs = Object.values(kinds);
  for (const method of METHODS) {
    if (!defs.some((d) => typeof d.api?.[method] === 'function')) continue;
    // Async, so a kind without the method rejects like any failed call rather than throwing at once.
    (session as unknown as Record<string, unknown>)[method] = async (req: { kind: string }) => {
      const api = kinds[req.kind]?.api;
      const fn = api?.[method] as ((r: unknown) => Promise<unknown>) | undefined;
      if (typeof fn !== 'function')
        throw new Error(`${req.kind}: an operation declared api needs the kind's ${method}, which it lacks`);
      return fn.call(api, { ...req, connection: conn });
    };
  }
  return session;
}

type ApiMethods = Required<Pick<KindSession, ApiMethod>>;

/**
 * The session's method for an operation core carries out by API for `kind`. The plan only
 * chooses `api` where the kind declares it, so a missing method is a provider bug (the contract
 * suite's `apiMismatches` row finds it first): an exception, not a diagnostic.
 */
export function apiMethod<M extends ApiMethod>(conn: KindSession, method: M, kind: string): ApiMethods[M] {
  const fn = conn[method] as ApiMethods[M] | undefined;
  if (typeof fn !== 'function')
    throw new Error(`${kind}: an operation declared api needs the kind's ${method}, which it lacks`);
  return (fn as (...args: never[]) => unknown).bind(conn) as ApiMethods[M];
}

/** The runbook step of a manual operation, or undefined when the kind has none for it. */
export function runbookStep(def: KindDefinition, req: RunbookRequest): RunbookStep | undefined {
  return def.runbook?.[req.operation]?.(req);
}

/**
 * Where a provider's kinds and its connection do not hold together: a readable kind with only one
 * of `list` and `read`; an attribute updated by hand with no `update` runbook step; a connection
 * that still carries a kind operation (they belong in the kinds' `api`, never on the session).
 * Empty when they agree.
 */
export function apiMismatches(
  kinds: Readonly<Record<string, KindDefinition>>,
  conn: ProviderConnection,
): string[] {
  const found: string[] = [];
  for (const [kind, def] of Object.entries(kinds)) {
    if (Boolean(def.api?.list) !== Boolean(def.api?.read))
      found.push(`${kind} is readable by API but has only ${def.api?.list ? 'list' : 'read'}: give it both`);
    const manualAttr = Object.entries(def.attributes).find(([, r]) => r.update === 'manual');
    if (manualAttr && !def.runbook?.update)
      found.push(`${kind}.${manualAttr[0]} is updated by hand, but the kind's runbook has no update step`);
  }
  for (const m of [...METHODS, 'operate'])
    if (typeof (conn as unknown as Record<string, unknown>)[m] === 'function')
      found.push(
        `the connection has ${m}: a kind's operations belong in its api, a sandbox's in its console`,
      );
  return found;
}
