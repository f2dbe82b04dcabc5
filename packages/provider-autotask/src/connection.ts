import type {
  ConnectionStats,
  CreateRequest,
  CreateResult,
  DeleteRequest,
  DeleteResult,
  ListRequest,
  ListResult,
  Logger,
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
import type { AutotaskClient } from './client.js';
import { AutotaskApiError } from './client-errors.js';
import { SandboxOperator } from './operate.js';
import { ApiUsers } from './remote/api-users.js';
import type { SandboxConsole } from './sandbox-console.js';

const KINDS = ['ServiceAccount', 'SecurityLevel'];

function unknownKind(kind: string): Error {
  return new Error(`Autotask has no kind ${kind} (known: ${KINDS.join(', ')})`);
}

/** The engine asked for something the kind's capabilities rule out: say which and why. */
function notByApi(what: string): Error {
  return new Error(`Autotask's API cannot ${what}; roster plans it as a manual step in the Autotask UI`);
}

/** A session with one Autotask database: the provider's `ProviderConnection`. */
export class AutotaskConnection implements ProviderConnection {
  readonly client: AutotaskClient;
  readonly apiUsers: ApiUsers;
  readonly #onClose: (() => Promise<void>) | undefined;

  constructor(client: AutotaskClient, opts: { log?: Logger; onClose?: () => Promise<void> } = {}) {
    this.client = client;
    this.apiUsers = new ApiUsers(client, opts.log);
    this.#onClose = opts.onClose;
  }

  /**
   * `roster test`: sign in as the API user with its own key (read from the Resource) and secret
   * (from its manifest's credentials), and read its own Resource record: what any integration
   * does first. Refusals are reported, never thrown.
   */
  async test(req: TestRequest): Promise<TestResult> {
    if (req.kind !== 'ServiceAccount') return { authenticated: false, message: `${req.kind} cannot sign in` };
    const secret = req.credentials.secret;
    if (!secret) return { authenticated: false, message: 'the manifest names no credentials.secret' };
    if (!secret.present) return { authenticated: false, message: `no secret stored at ${secret.origin}` };
    const row = await this.client.get('Resources', req.id);
    const username = typeof row?.userName === 'string' ? row.userName : undefined;
    if (!username)
      return { authenticated: false, message: `resource ${req.id} has no username (key) in Autotask` };
    const as = await this.client.signedInAs({ username, secret });
    try {
      const self = await as.get('Resources', req.id);
      return {
        authenticated: true,
        permission: { ok: self !== undefined, checked: `read its own Resource (${req.naturalKey})` },
      };
    } catch (err) {
      if (err instanceof AutotaskApiError && [401, 403, 500].includes(err.status))
        return { authenticated: false, message: err.message };
      throw err;
    }
  }

  async list(req: ListRequest): Promise<ListResult> {
    if (req.kind === 'ServiceAccount') return { objects: await this.apiUsers.list() };
    // The engine keeps security levels from state (read capability `none`); it never lists them.
    if (req.kind === 'SecurityLevel') throw notByApi('read security levels');
    throw unknownKind(req.kind);
  }

  async read(req: ReadRequest): Promise<ReadResult> {
    if (req.kind === 'ServiceAccount') return { object: await this.apiUsers.read(req.id) };
    if (req.kind === 'SecurityLevel') throw notByApi('read security levels');
    throw unknownKind(req.kind);
  }

  async create(req: CreateRequest): Promise<CreateResult> {
    if (req.kind === 'ServiceAccount') throw notByApi('create API users (Resources have no create)');
    if (req.kind === 'SecurityLevel') throw notByApi('create security levels');
    throw unknownKind(req.kind);
  }

  async update(req: UpdateRequest): Promise<UpdateResult> {
    if (req.kind === 'ServiceAccount')
      return { object: await this.apiUsers.update(req.id, req.prior, req.changes) };
    if (req.kind === 'SecurityLevel') throw notByApi('change security levels');
    throw unknownKind(req.kind);
  }

  async delete(req: DeleteRequest): Promise<DeleteResult> {
    if (KINDS.includes(req.kind))
      throw new Error(
        `Autotask never deletes ${req.kind === 'ServiceAccount' ? 'resources (API users)' : 'security levels'}: roster deactivates them instead`,
      );
    throw unknownKind(req.kind);
  }

  stats(): ConnectionStats {
    return this.client.stats();
  }

  async close(): Promise<void> {
    await this.#onClose?.();
  }
}

/**
 * A connection to a sandbox (embedded or served on loopback): the same, plus `operate`, which does
 * manual steps through the simulator's admin console (`apply --sandbox-operator`).
 */
export class AutotaskSandboxConnection extends AutotaskConnection {
  readonly #operator: SandboxOperator;

  constructor(
    client: AutotaskClient,
    console: SandboxConsole,
    opts: { log?: Logger; onClose?: () => Promise<void> } = {},
  ) {
    super(client, opts);
    this.#operator = new SandboxOperator(console, this.apiUsers);
  }

  operate(req: OperateRequest): Promise<OperateResult> {
    return this.#operator.operate(req);
  }
}
