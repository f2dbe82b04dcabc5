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
import { afterEach, beforeEach } from 'vitest';
import type { ClientTuning } from '../client/client.js';
import type { AfasConnection } from '../connection.js';
import provider, { connectAfas } from '../provider.js';
import { RawApi } from './api.testing.js';
import { afasConsole, startAfasSandbox } from './index.js';
import { type Simulator, type SimulatorOptions, startSimulator } from './server.js';

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

/** What a test of the served simulator works with (`servedSimulator`). */
export interface ServedSimulator {
  sim: Simulator;
  conn: AfasConnection;
  calls: ReturnType<typeof kindCalls>;
  /** The raw API and the console, as another integration and a person in Profit. */
  api: RawApi;
  createAccount(userId: string, extra?: Record<string, unknown>): Promise<RemoteObject>;
  update(prior: RemoteObject, changes: Record<string, unknown>): Promise<RemoteObject>;
  operate(
    kind: string,
    operation: 'create' | 'update' | 'delete' | 'reconfirm',
    naturalKey: string,
    attributes: Record<string, unknown>,
    more?: Partial<OperateRequest>,
  ): Promise<OperateResult>;
}

const address = (kind: string, name: string) => `afas/${kind}/${name}`;

/**
 * A fresh simulator for each test, served on loopback as `roster sandbox serve` does, with no
 * credentials declared (any token is accepted), a connection to it and its console.
 */
export function servedSimulator(tuning: ClientTuning): ServedSimulator {
  const t = {} as ServedSimulator;
  beforeEach(async () => {
    t.sim = await startSimulator();
    const opened = await connectTo(t.sim, {}, tuning);
    t.conn = opened.conn;
    t.calls = kindCalls(opened.conn);
    t.api = new RawApi(t.sim.url, undefined, t.sim.consoleToken);
    t.createAccount = (userId, extra = {}) =>
      t.calls.create({
        kind: 'ServiceAccount',
        address: address('ServiceAccount', userId),
        attributes: {
          userId,
          name: `Sync ${userId}`,
          email: `${userId.toLowerCase()}@example.com`,
          inSite: true,
          ...extra,
        },
        idempotencyKey: `c-${userId}`,
      });
    t.update = (prior, changes) =>
      t.calls.update({
        kind: 'ServiceAccount',
        address: address('ServiceAccount', prior.naturalKey),
        id: prior.id,
        prior,
        changes,
        idempotencyKey: `u-${prior.id}`,
      });
    t.operate = (kind, operation, naturalKey, attributes, more = {}) =>
      opened.operate({
        kind,
        operation,
        address: address(kind, naturalKey.toLowerCase()),
        name: naturalKey.toLowerCase(),
        naturalKey,
        attributes,
        ...more,
      });
  });
  afterEach(async () => {
    await t.conn.close();
    await t.sim.close();
  });
  return t;
}
