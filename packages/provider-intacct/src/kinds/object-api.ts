import type { KindApi, RemoteObject } from '@roster/core';
import type { IntacctClient } from '../client/client.js';
import type { IntacctConnection } from '../connection.js';

/** The REST operations on one kind's Intacct object, each given the client. */
export interface ObjectOperations {
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

/** A kind's API from its object operations: every kind reaches Intacct through the connection's client. */
export function objectApi(ops: ObjectOperations) {
  return {
    list: async ({ connection }) => ({ objects: await ops.list(connection.client) }),
    read: async ({ connection, id }) => ({ object: await ops.read(connection.client, id) }),
    create: async ({ connection, attributes, idempotencyKey }) => ({
      object: await ops.create(connection.client, attributes, idempotencyKey),
    }),
    update: async ({ connection, id, prior, changes, idempotencyKey }) => ({
      object: await ops.update(connection.client, id, prior, changes, idempotencyKey),
    }),
    delete: async ({ connection, id, prior }) => {
      await ops.delete(connection.client, id, prior);
      return {};
    },
  } satisfies KindApi<IntacctConnection>;
}

/** The object a create or an update just wrote, read back; `gone` says what happened when it is not there. */
export async function readBack(read: Promise<RemoteObject | undefined>, gone: string): Promise<RemoteObject> {
  const object = await read;
  if (!object) throw new Error(gone);
  return object;
}
