import type {
  CreateRequest,
  DeleteRequest,
  ListRequest,
  Provider,
  ProviderConnection,
  ReadRequest,
  UpdateRequest,
} from '@roster/core';
import { serveOptions } from '@roster/sim-kit';
import { configSchema } from './config.js';
import { connectScim } from './connect.js';
import type { ScimConnection } from './connection.js';
import * as groups from './kinds/group/api.js';
import { groupKind } from './kinds/group/kind.js';
import * as accounts from './kinds/service-account/api.js';
import { serviceAccountKind } from './kinds/service-account/kind.js';

const api = {
  ServiceAccount: {
    list: accounts.listServiceAccounts,
    read: accounts.readServiceAccount,
    create: accounts.createServiceAccount,
    update: accounts.updateServiceAccount,
    delete: accounts.deleteServiceAccount,
  },
  Group: {
    list: groups.listGroups,
    read: groups.readGroup,
    create: groups.createGroup,
    update: groups.updateGroup,
    delete: groups.deleteGroup,
  },
};

function ops(kind: string) {
  const k = api[kind as keyof typeof api];
  if (!k) throw new Error(`scim has no kind ${kind}`);
  return k;
}

/** The ProviderConnection over a SCIM session: each call goes to its kind's operation. */
export function connectionOf(connection: ScimConnection, close: () => Promise<void>): ProviderConnection {
  return {
    list: (req: ListRequest) => ops(req.kind).list({ connection }),
    read: (req: ReadRequest) => ops(req.kind).read({ connection, id: req.id }),
    create: (req: CreateRequest) => ops(req.kind).create({ connection, attributes: req.attributes }),
    update: (req: UpdateRequest) =>
      ops(req.kind).update({ connection, id: req.id, prior: req.prior, changes: req.changes }),
    delete: (req: DeleteRequest) => ops(req.kind).delete({ connection, id: req.id }),
    stats: () => connection.stats(),
    close,
  };
}

/** Any SCIM 2.0 service: service users and groups (RFC 7643/7644). */
const provider = {
  type: 'scim',
  displayName: 'SCIM 2.0',
  description:
    'Any SCIM 2.0 service (RFC 7643/7644): service users (ServiceAccount) and their Groups. roster reads ServiceProviderConfig, ResourceTypes and Schemas first, then uses PATCH or PUT, paging and ETags as the server offers them.',
  configSchema,
  kinds: { ServiceAccount: serviceAccountKind, Group: groupKind },
  async connect(req) {
    const endpoint = String(req.config.endpoint);
    if (endpoint !== 'sandbox') return connectionOf(await connectScim(req, endpoint), async () => {});
    // Imported here: only a sandbox connection needs the simulator.
    const { startSandbox } = await import('./sandbox/start.js');
    const sim = await startSandbox({ name: req.name, credentials: req.credentials, dir: req.sandboxDir });
    req.log.debug(`scim: ${req.name}: sandbox simulator at ${sim.url}`);
    try {
      return connectionOf(await connectScim(req, sim.url), () => sim.close());
    } catch (err) {
      await sim.close();
      throw err;
    }
  },
  async serveSandbox(req) {
    const { startSandbox } = await import('./sandbox/start.js');
    const o = serveOptions(req);
    const sim = await startSandbox({
      name: req.name,
      credentials: req.credentials,
      dir: o.dir,
      host: o.host,
      port: o.port,
      ...(o.allowRemote !== undefined ? { allowRemote: o.allowRemote } : {}),
      faults: o.faults,
    });
    return { url: sim.url, consoleToken: sim.consoleToken, close: () => sim.close() };
  },
} satisfies Provider;

export default provider;
