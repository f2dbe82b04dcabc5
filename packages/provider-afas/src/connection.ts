import type {
  ConnectionStats,
  CreateRequest,
  CreateResult,
  DeleteRequest,
  DeleteResult,
  ListRequest,
  ListResult,
  OperateRequest,
  OperateResult,
  ProviderConnection,
  ReadRequest,
  ReadResult,
  UpdateRequest,
  UpdateResult,
} from '@roster/core';
import type { AfasClient } from './client.js';
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

const KINDS = ['ServiceAccount', 'Group', 'Connector'];

/** Why an operation is not an API call, for the error if the engine asks for one anyway. */
function notByApi(kind: string, op: string): Error {
  const how =
    kind === 'ServiceAccount'
      ? 'AFAS Profit users are not deleted through the API (KnUser has no delete); roster blocks them'
      : kind === 'Group'
        ? `a user group is ${op === 'create' ? 'added' : op === 'update' ? 'changed' : 'deleted'} by hand in the Authorisation tool`
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

  async delete(req: DeleteRequest): Promise<DeleteResult> {
    this.#known(req.kind);
    throw notByApi(req.kind, 'delete');
  }

  stats(): ConnectionStats {
    return this.client.stats();
  }

  async close(): Promise<void> {
    await this.#onClose?.();
  }
}
