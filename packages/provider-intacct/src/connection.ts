import type {
  ConnectionStats,
  CreateRequest,
  CreateResult,
  DeleteRequest,
  DeleteResult,
  ListRequest,
  ListResult,
  ProviderConnection,
  ReadRequest,
  ReadResult,
  RemoteObject,
  UpdateRequest,
  UpdateResult,
} from '@roster/core';
import type { IntacctClient } from './client.js';
import { createGroup, deleteGroup, listGroups, readGroup, updateGroup } from './remote/groups.js';
import {
  createSecurityLevel,
  deleteSecurityLevel,
  listSecurityLevels,
  readSecurityLevel,
  updateSecurityLevel,
} from './remote/roles.js';
import {
  createServiceAccount,
  deleteServiceAccount,
  listServiceAccounts,
  readServiceAccount,
  updateServiceAccount,
} from './remote/users.js';

/** What one kind does against the API. */
interface KindOps {
  list(client: IntacctClient): Promise<RemoteObject[]>;
  read(client: IntacctClient, key: string): Promise<RemoteObject | undefined>;
  create(
    client: IntacctClient,
    attributes: Record<string, unknown>,
    idempotencyKey: string,
  ): Promise<RemoteObject>;
  update(
    client: IntacctClient,
    key: string,
    prior: RemoteObject,
    changes: Record<string, unknown>,
    idempotencyKey: string,
  ): Promise<RemoteObject>;
  delete(client: IntacctClient, key: string, prior: RemoteObject): Promise<void>;
}

const OPS: Record<string, KindOps> = {
  ServiceAccount: {
    list: listServiceAccounts,
    read: readServiceAccount,
    create: createServiceAccount,
    update: updateServiceAccount,
    delete: deleteServiceAccount,
  },
  SecurityLevel: {
    list: listSecurityLevels,
    read: readSecurityLevel,
    create: createSecurityLevel,
    update: updateSecurityLevel,
    delete: deleteSecurityLevel,
  },
  Group: { list: listGroups, read: readGroup, create: createGroup, update: updateGroup, delete: deleteGroup },
};

/** A session with one Intacct company (or its sandbox): the provider's `ProviderConnection`. */
export class IntacctConnection implements ProviderConnection {
  readonly client: IntacctClient;
  readonly #onClose: (() => Promise<void>) | undefined;

  constructor(client: IntacctClient, onClose?: () => Promise<void>) {
    this.client = client;
    this.#onClose = onClose;
  }

  #ops(kind: string): KindOps {
    const ops = OPS[kind];
    if (!ops) throw new Error(`Sage Intacct has no kind ${kind} (known: ${Object.keys(OPS).join(', ')})`);
    return ops;
  }

  async list(req: ListRequest): Promise<ListResult> {
    return { objects: await this.#ops(req.kind).list(this.client) };
  }

  async read(req: ReadRequest): Promise<ReadResult> {
    return { object: await this.#ops(req.kind).read(this.client, req.id) };
  }

  async create(req: CreateRequest): Promise<CreateResult> {
    return { object: await this.#ops(req.kind).create(this.client, req.attributes, req.idempotencyKey) };
  }

  async update(req: UpdateRequest): Promise<UpdateResult> {
    return {
      object: await this.#ops(req.kind).update(
        this.client,
        req.id,
        req.prior,
        req.changes,
        req.idempotencyKey,
      ),
    };
  }

  async delete(req: DeleteRequest): Promise<DeleteResult> {
    await this.#ops(req.kind).delete(this.client, req.id, req.prior);
    return {};
  }

  stats(): ConnectionStats {
    return this.client.stats();
  }

  async close(): Promise<void> {
    await this.#onClose?.();
  }
}
