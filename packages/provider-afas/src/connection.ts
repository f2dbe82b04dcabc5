import type {
  ConnectionStats,
  CreateRequest,
  CreateResult,
  ListRequest,
  ListResult,
  OperateRequest,
  OperateResult,
  ProviderConnection,
  ReadRequest,
  ReadResult,
  TestRequest,
  TestResult,
  UpdateRequest,
  UpdateResult,
} from '@roster/core';
import { signInPreamble } from '@roster/core';
import type { AfasClient, MetaInfo } from './client.js';
import { AfasApiError, AfasNetworkError } from './client-errors.js';
import type { AfasConfig } from './config.js';
import type { SandboxOperator } from './operator.js';
import type { AfasContext } from './remote/context.js';
import { listGroups, readGroup } from './remote/groups.js';
import {
  createServiceAccount,
  listServiceAccounts,
  readServiceAccount,
  updateServiceAccount,
} from './remote/users.js';
import { normalizeToken } from './token.js';

const KINDS = ['ServiceAccount', 'Group', 'Connector'];

/** One line about a failure that is not a refusal (network, 5xx); throws bugs on. */
function reason(err: unknown): string {
  if (err instanceof AfasApiError || err instanceof AfasNetworkError) return err.message;
  throw err;
}

/** The user code in MetaInfo's `info.group`, e.g. `12345.WS` in `"INT-APP (12345.WS)"`. */
function tokenUser(group: unknown): string | undefined {
  if (typeof group !== 'string') return undefined;
  return /\(([^()]+)\)\s*$/.exec(group)?.[1]?.trim();
}

/** The description a recorded `connector` reference names (`{ref}` or a plain string). */
function connectorRef(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const ref = (value as { ref?: unknown } | null | undefined)?.ref;
  return typeof ref === 'string' ? ref : undefined;
}

/**
 * Why a write the connection offers for users is not an API call for this kind, for the error if
 * the engine asks for one anyway (a bug: the kind's capabilities say manual).
 */
function notByApi(kind: string, op: 'create' | 'update'): Error {
  const how =
    kind === 'Group'
      ? `a user group is ${op === 'create' ? 'added' : 'changed'} by hand in the Authorisation tool`
      : 'app connectors are managed in Profit’s UI only';
  return new Error(`AFAS Profit: cannot ${op} a ${kind} through the API: ${how} (a manual step)`);
}

/**
 * A session with one AFAS Profit environment (or its sandbox): the provider's `ProviderConnection`.
 * Users are read and written through the API; groups are read through it; app connectors are not
 * readable at all (list gives nothing, every attribute is attested). On a sandbox, `operate` does
 * the manual steps through the simulator's console.
 */
export class AfasConnection implements ProviderConnection {
  readonly client: AfasClient;
  readonly cfg: AfasConfig;
  readonly #ctx: AfasContext;
  readonly #onClose: (() => Promise<void>) | undefined;
  /** Sandboxes only (see `ProviderConnection.operate`). */
  readonly operate?: (req: OperateRequest) => Promise<OperateResult>;

  constructor(
    client: AfasClient,
    cfg: AfasConfig,
    opts: { operator?: SandboxOperator; onClose?: () => Promise<void> } = {},
  ) {
    this.client = client;
    this.cfg = cfg;
    this.#ctx = { client, cfg };
    this.#onClose = opts.onClose;
    const operator = opts.operator;
    if (operator) this.operate = (req) => operator.operate(req);
  }

  #known(kind: string): void {
    if (!KINDS.includes(kind))
      throw new Error(`AFAS Profit has no kind ${kind} (known: ${KINDS.join(', ')})`);
  }

  /**
   * `roster test`: sign in with the user's own token (from where its manifest's
   * `credentials.token` points) and read what an integration reads. Authentication is
   * `GET /MetaInfo` with the token, which AFAS refuses unless the user is a member of the app
   * connector's group, neither the user nor the app connector is blocked, and the token is valid;
   * its `info.group` must name this user (a token of another user, or roster's own, fails). The
   * permission check reads one row of the first GetConnector the app connector lists. Refusals and
   * network trouble are reported, never thrown.
   */
  async test(req: TestRequest): Promise<TestResult> {
    const pre = signInPreamble(req, { kind: 'ServiceAccount', accounts: 'token users', credential: 'token' });
    if ('refused' in pre) return pre.refused;
    const token = pre.credential!;
    try {
      normalizeToken(token.reveal());
    } catch (err) {
      return {
        authenticated: false,
        message: `what is stored at ${token.origin} is not usable: ${(err as Error).message}`,
      };
    }
    const userId = req.naturalKey;
    const as = this.client.withToken(token);
    let meta: MetaInfo;
    try {
      meta = await as.metaInfo();
    } catch (err) {
      if (err instanceof AfasApiError && (err.status === 401 || err.status === 403))
        return {
          authenticated: false,
          message: `AFAS Profit refused the token of ${userId}: ${err.apiMessage} (${err.status})`,
        };
      return {
        authenticated: false,
        message: `could not sign in with the token of ${userId}: ${reason(err)}`,
      };
    }
    const owner = tokenUser(meta.info.group);
    if (meta.info.group === null || meta.info.group === undefined)
      return {
        authenticated: false,
        message: `the token stored at ${token.origin} is not a user token of an app connector (AFAS names no user group for it)`,
      };
    if (owner !== undefined && owner.toLowerCase() !== userId.toLowerCase())
      return {
        authenticated: false,
        message: `the token stored at ${token.origin} belongs to user ${owner}, not ${userId}`,
      };

    const appName = typeof meta.info.appName === 'string' ? meta.info.appName : 'its app connector';
    const declared = connectorRef(req.attributes.connector);
    const first = meta.getConnectors[0]?.id;
    const checked = first
      ? `read 1 row of GetConnector ${first} of app connector '${appName}'`
      : `list the GetConnectors of app connector '${appName}'`;
    if (declared && declared.toLowerCase() !== appName.toLowerCase())
      return {
        authenticated: true,
        permission: { ok: false, checked },
        message: `the token is for app connector '${appName}', but the manifest says '${declared}'`,
      };
    if (!first)
      return {
        authenticated: true,
        permission: { ok: false, checked },
        message: `app connector '${appName}' lists no GetConnectors: the user can read nothing`,
      };
    try {
      await as.getPage(first, 0, 1);
      return { authenticated: true, permission: { ok: true, checked } };
    } catch (err) {
      if (err instanceof AfasApiError && err.status < 500)
        return {
          authenticated: true,
          permission: { ok: false, checked },
          message: `AFAS Profit refused to let ${userId} read GetConnector ${first}: ${err.apiMessage} (${err.status})`,
        };
      return {
        authenticated: true,
        permission: { ok: false, checked },
        message: `signed in, but could not read GetConnector ${first}: ${reason(err)}`,
      };
    }
  }

  async list(req: ListRequest): Promise<ListResult> {
    this.#known(req.kind);
    if (req.kind === 'ServiceAccount') return { objects: await listServiceAccounts(this.#ctx) };
    if (req.kind === 'Group') return { objects: await listGroups(this.#ctx) };
    return { objects: [] };
  }

  async read(req: ReadRequest): Promise<ReadResult> {
    this.#known(req.kind);
    if (req.kind === 'ServiceAccount') return { object: await readServiceAccount(this.#ctx, req.id) };
    if (req.kind === 'Group') return { object: await readGroup(this.#ctx, req.id) };
    return { object: undefined };
  }

  async create(req: CreateRequest): Promise<CreateResult> {
    this.#known(req.kind);
    if (req.kind !== 'ServiceAccount') throw notByApi(req.kind, 'create');
    return { object: await createServiceAccount(this.#ctx, req.attributes) };
  }

  async update(req: UpdateRequest): Promise<UpdateResult> {
    this.#known(req.kind);
    if (req.kind !== 'ServiceAccount') throw notByApi(req.kind, 'update');
    return { object: await updateServiceAccount(this.#ctx, req.id, req.prior, req.changes) };
  }

  stats(): ConnectionStats {
    return this.client.stats();
  }

  async close(): Promise<void> {
    await this.#onClose?.();
  }
}
