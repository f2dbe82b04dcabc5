import type {
  ConnectRequest,
  CreateRequest,
  KindApi,
  Logger,
  OperateRequest,
  OperateResult,
  RemoteObject,
  SandboxConsole,
  SandboxStartRequest,
  Secret,
  TestRequest,
  UpdateRequest,
} from '@roster/core';
import type { ClientTuning } from '../client/client.js';
import type { AfasConnection } from '../connection.js';
import provider, { connectAfas } from '../provider.js';
import { afasConsole, startAfasSandbox } from './index.js';
import type { Simulator, SimulatorOptions } from './server.js';

export const quiet: Logger = { info() {}, warn() {}, debug() {} };

/** A kind's operations by name, as core reaches them (`KindDefinition.api`). */
function apiOf(kind: string): KindApi<AfasConnection> {
  const api = (provider.kinds as Record<string, { api?: KindApi<AfasConnection> }>)[kind]?.api;
  if (!api) throw new Error(`${kind} has no API operations`);
  return api;
}

const missing = (kind: string, op: string) => new Error(`${kind} has no ${op} by API`);

/** The kinds' API operations on one connection, called the way core's session calls them. */
export function kindCalls(connection: AfasConnection) {
  return {
    async list(kind: string): Promise<RemoteObject[]> {
      const list = apiOf(kind).list;
      if (!list) throw missing(kind, 'list');
      return (await list({ kind, connection })).objects;
    },
    async read(kind: string, id: string): Promise<RemoteObject | undefined> {
      const read = apiOf(kind).read;
      if (!read) throw missing(kind, 'read');
      return (await read({ kind, id, connection })).object;
    },
    async create(req: CreateRequest): Promise<RemoteObject> {
      const create = apiOf(req.kind).create;
      if (!create) throw missing(req.kind, 'create');
      return (await create({ ...req, connection })).object;
    },
    async update(req: UpdateRequest): Promise<RemoteObject> {
      const update = apiOf(req.kind).update;
      if (!update) throw missing(req.kind, 'update');
      return (await update({ ...req, connection })).object;
    },
    test(req: TestRequest) {
      const test = apiOf(req.kind).test;
      if (!test) throw missing(req.kind, 'test');
      return test({ ...req, connection });
    },
  };
}

/** A connection to a simulator at `endpoint` (started by the test), and its console. */
export async function connectTo(
  sim: Pick<Simulator, 'url' | 'consoleToken'>,
  opts: { credentials?: Record<string, Secret | undefined>; config?: Record<string, unknown> } = {},
  tuning: ClientTuning = {},
): Promise<{
  conn: AfasConnection;
  console: SandboxConsole;
  operate(req: OperateRequest): Promise<OperateResult>;
}> {
  const config = { type: 'afas', ...opts.config, endpoint: sim.url };
  const conn = await connectAfas(
    { name: 'afas', config, credentials: opts.credentials ?? {}, readOnly: false, log: quiet },
    tuning,
  );
  const console = afasConsole({ name: 'afas', config, token: sim.consoleToken, log: quiet }, tuning);
  return { conn, console, operate: (req) => console.operate(req) };
}

/**
 * `endpoint: sandbox` as core opens it: the package's sandbox started first (`./sandbox`), then a
 * connection to the address it returns, and its console.
 */
export async function openSandbox(
  req: Partial<Pick<SandboxStartRequest, 'config' | 'credentials' | 'dir' | 'readCredentials'>> = {},
  tuning: ClientTuning = {},
  extra: Pick<SimulatorOptions, 'faults' | 'random'> = {},
) {
  const started = await startAfasSandbox(
    {
      name: 'afas',
      config: { type: 'afas', endpoint: 'sandbox', ...req.config },
      credentials: req.credentials ?? {},
      ...(req.dir ? { dir: req.dir } : {}),
      ...(req.readCredentials ? { readCredentials: true } : {}),
      log: quiet,
    },
    extra,
  );
  const connect = (credentials = req.credentials ?? {}, readOnly = false) =>
    connectAfas(
      { name: 'afas', config: started.config, credentials, readOnly, log: quiet } satisfies ConnectRequest,
      tuning,
    );
  const conn = await connect();
  const console = afasConsole(
    {
      name: 'afas',
      config: started.config,
      ...(started.consoleToken ? { token: started.consoleToken } : {}),
      log: quiet,
    },
    tuning,
  );
  return {
    started,
    sim: started.sim,
    conn,
    console,
    connect,
    operate: (op: OperateRequest) => console.operate(op),
    close: async () => {
      await conn.close();
      await started.close();
    },
  };
}
