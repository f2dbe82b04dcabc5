import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type FaultSwitch,
  faultSwitchOf,
  type JsonReply,
  listenOptions,
  readSandboxBody,
  type SimulatorBase,
  type SimulatorBaseOptions,
  sendJsonReply,
  startHttpServer,
  storeOptions,
} from '@roster/sim-kit';
import { parseTokenXml } from '../client/token.js';
import { authenticate, authorize, type Caller } from './access.js';
import { handleConsole, type OutboxMail } from './console.js';
import { ConsoleError, errorReply, notFound, refused, SimError, unauthorized } from './errors.js';
import { DATASETS, type DatasetName, runGetConnector } from './get-connectors.js';
import { applyKnUser } from './kn-user.js';
import { OtpService } from './otp.js';
import { codeKey } from './records.js';
import { SimStore, type SimTx } from './store.js';

export interface SimulatorOptions extends SimulatorBaseOptions {
  /** Directory to persist the environment in (`<dir>/afas-<environment>.json`); undefined keeps it in memory. */
  dir?: string;
  /** Environment number (default `00000`). */
  environment?: string;
  /**
   * roster's own token (XML or data part): when set, the API accepts it and the user tokens the
   * sandbox issued, nothing else; otherwise any well-formed token that is not an issued or deleted
   * user token acts as roster's.
   */
  token?: string;
  /**
   * GetConnector ids serving the user and membership data sets, beyond `Profit_Users` and
   * `Profit_UserGroups` (a provider spec may name its own).
   */
  getConnectors?: Partial<Record<DatasetName, string>>;
  /** Code of the built-in all-users group (default `Everybody`). */
  allUsersGroup?: string;
}

/** A running simulator. */
export interface Simulator extends SimulatorBase {
  /** Origin, e.g. `http://127.0.0.1:43123` (the API under `/ProfitRestServices`, the console under `/__sandbox`). */
  url: string;
  /** `url` + `/ProfitRestServices`. */
  apiUrl: string;
  store: SimStore;
  /** E-mails sent (OTPs), newest last. */
  outbox: OutboxMail[];
}

const MAX_QUERY = 2049;
const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Start the AFAS Profit simulator: the REST paths under `/ProfitRestServices` (either case) —
 * GetConnectors with `skip`/`take`/filters, the UpdateConnector `KnUser`, `/MetaInfo`,
 * `/ProfitVersion`, the OTP token flow — with AfasToken authentication and the app-connector access
 * rules, and an admin console under `/__sandbox/` standing in for Profit's UI.
 */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const environment = opts.environment ?? '00000';
  const allUsers = opts.allUsersGroup ?? 'Everybody';
  const store = await SimStore.open({
    ...storeOptions(opts),
    environment,
    init: (tx) => seedEnvironment(tx, allUsers),
  });
  const faults = faultSwitchOf(opts);
  // By lower-cased id (connector ids are matched without case), with the id as configured.
  const datasets = new Map<string, { name: DatasetName; id: string }>([
    ['profit_users', { name: 'users', id: 'Profit_Users' }],
    ['profit_usergroups', { name: 'userGroups', id: 'Profit_UserGroups' }],
  ]);
  for (const [name, id] of Object.entries(opts.getConnectors ?? {})) {
    if (id) datasets.set(id.toLowerCase(), { name: name as DatasetName, id });
  }
  let adminData: string | undefined;
  if (opts.token !== undefined) {
    adminData = parseTokenXml(opts.token)?.data ?? opts.token.trim();
  }
  const outbox: OutboxMail[] = [];
  const app = new SimulatorApp(store, faults, datasets, adminData, environment, outbox);
  const server = await startHttpServer({
    ...listenOptions(opts),
    handle: (req, res) => app.handle(req, res),
    failureReply: (err) => withEmptyLength(toReply(err)),
    onClose: () => store.close(),
  });
  return {
    url: server.url,
    consoleToken: server.consoleToken,
    apiUrl: `${server.url}/ProfitRestServices`,
    store,
    faults,
    outbox,
    close: server.close,
  };
}

/** A new environment: the all-users group and the environment key of the OTP flow. */
function seedEnvironment(tx: SimTx, allUsers: string): void {
  tx.put('group', { key: codeKey(allUsers), id: allUsers, description: 'All Profit users', builtIn: true });
  tx.put('setting', { key: 'environment', environmentKey: randomBytes(16).toString('hex').toUpperCase() });
}

/**
 * An answer without a body says `Content-Length: 0`, as AFAS's documented 401/403/404 answers do
 * (Node would otherwise send an empty chunked body).
 */
function withEmptyLength(reply: JsonReply): JsonReply {
  return reply.body === undefined
    ? { ...reply, headers: { 'content-length': '0', ...reply.headers } }
    : reply;
}

function send(res: ServerResponse, reply: JsonReply): void {
  sendJsonReply(res, withEmptyLength(reply));
}

function toReply(err: unknown): JsonReply {
  if (err instanceof SimError) return errorReply(err);
  if (err instanceof ConsoleError) return errorReply(refused(err.message));
  return errorReply(
    refused(`An unexpected error has occurred. (simulator: ${(err as Error)?.message ?? String(err)})`),
  );
}

const readBody = (req: IncomingMessage): Promise<string> =>
  readSandboxBody(req, (max) => new SimError(413, `The request is larger than ${max} bytes`));

function parseJson(text: string): Record<string, unknown> {
  if (text.trim() === '') throw new SimError(400, 'The request body is empty');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new SimError(400, 'The request body is not valid JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new SimError(400, 'The request body must be a JSON object');
  return v as Record<string, unknown>;
}

class SimulatorApp {
  readonly #otp: OtpService;
  constructor(
    readonly store: SimStore,
    readonly faults: FaultSwitch,
    readonly datasets: Map<string, { name: DatasetName; id: string }>,
    readonly adminData: string | undefined,
    readonly environment: string,
    readonly outbox: OutboxMail[],
  ) {
    this.#otp = new OtpService(store, outbox);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://sandbox');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__sandbox/')) {
      let reply: JsonReply;
      try {
        const list = /^\/__sandbox\/connectors\/([^/]+)$/.exec(url.pathname);
        reply =
          list && method === 'GET'
            ? await this.consoleList(decodeURIComponent(list[1]!), url.searchParams)
            : await handleConsole(
                this.store,
                this.faults,
                this.outbox,
                method,
                url.pathname.slice('/__sandbox'.length),
                url.searchParams,
                await readBody(req),
              );
      } catch (err) {
        reply =
          err instanceof ConsoleError
            ? { status: err.status, body: { error: err.message } }
            : { status: 500, body: { error: (err as Error)?.message ?? String(err) } };
      }
      send(res, reply);
      return;
    }
    const m = /^\/profitrestservices(\/.*)?$/i.exec(url.pathname);
    if (!m) {
      send(res, errorReply(notFound()));
      return;
    }
    const { fault, retryAfterSeconds } = await this.faults.strike();
    if (fault.kind === 'drop' && fault.when === 'before') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'throttle') {
      // AFAS documents no rate limit; a gateway in front of it would answer this way.
      send(res, {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        body: { externalMessage: 'Too many requests; try again later', errorNumber: -1 },
      });
      return;
    }
    if (fault.kind === 'error') {
      const err =
        fault.status === 503
          ? new SimError(503, 'Profit is temporarily unavailable (maintenance)', {
              headers: { 'retry-after': String(retryAfterSeconds) },
            })
          : refused('An unexpected error has occurred.');
      send(res, errorReply(err));
      return;
    }
    let reply: JsonReply;
    try {
      const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?')) : '';
      // The query string, from its `?`, is capped at 2049 characters: longer gets a bare 404.
      if (query.length > MAX_QUERY) throw notFound('query string too long');
      reply = await this.api(req, method, m[1] ?? '/', url.searchParams, () => readBody(req));
    } catch (err) {
      reply = toReply(err);
    }
    if (fault.kind === 'drop') {
      // The change is made, but the client never hears about it.
      req.socket.destroy();
      return;
    }
    send(res, reply);
  }

  /**
   * The console's lists of users and memberships (what Profit's UI shows a person with every
   * right): a GetConnector's data set, with its paging and filters, without a token. The sandbox
   * operator reads the result of a manual step back through it, as a person checks the screen.
   */
  async consoleList(id: string, query: URLSearchParams): Promise<JsonReply> {
    const ds = this.datasets.get(id.toLowerCase())?.name;
    if (!ds) throw new ConsoleError(404, `no GetConnector ${id} in this sandbox`);
    try {
      return await this.store.read((db) => ({ status: 200, body: runGetConnector(db, ds, query) }));
    } catch (err) {
      if (err instanceof SimError) throw new ConsoleError(400, err.message);
      throw err;
    }
  }

  async api(
    req: IncomingMessage,
    method: string,
    path: string,
    query: URLSearchParams,
    readRaw: () => Promise<string>,
  ): Promise<JsonReply> {
    const lower = path.toLowerCase();
    if (lower === '/otprequest' || lower === '/otpvalidation') {
      const raw = await readRaw();
      // Whether these need a token is unconfirmed; a user asking for a token has none, so accept both.
      if (method !== 'POST') throw notFound();
      if (lower === '/otprequest') {
        await this.#otp.request(parseJson(raw));
        return { status: 200 };
      }
      return { status: 200, body: await this.#otp.validate(parseJson(raw)) };
    }
    const caller = await this.store.read((db) => authenticate(db, req.headers.authorization, this.adminData));
    // Read only once the caller is known: an unauthenticated body is never buffered.
    const raw = await readRaw();
    if (lower === '/profitversion' && method === 'GET') {
      return { status: 200, body: { version: 'roster AFAS Profit simulator' } };
    }
    if (lower === '/metainfo' && method === 'GET') return this.metaInfo(caller);
    const meta = /^\/metainfo\/get\/([^/]+)$/i.exec(path);
    if (meta && method === 'GET') {
      const id = decodeURIComponent(meta[1]!);
      await this.store.read((db) => authorize(db, caller, { type: 'get', id }));
      const ds = this.datasets.get(id.toLowerCase())?.name;
      if (!ds) throw notFound();
      return {
        status: 200,
        body: {
          name: id,
          description: id,
          fields: DATASETS[ds].fields.map((x) => ({
            id: x.id,
            fieldId: x.id,
            dataType: x.dataType,
            label: x.label,
          })),
        },
      };
    }
    const conn = /^\/connectors\/([^/]+)(\/.*)?$/i.exec(path);
    if (!conn) throw notFound();
    const id = decodeURIComponent(conn[1]!);
    if (method === 'GET' && !conn[2]) {
      const ds = this.datasets.get(id.toLowerCase())?.name;
      return this.store.read((db) => {
        authorize(db, caller, { type: 'get', id });
        if (!ds) {
          // On the caller's app connector, but a GetConnector this sandbox holds no data for.
          if (caller.kind === 'user') return { status: 200, body: { skip: 0, take: 0, rows: [] } };
          throw unauthorized(`unknown GetConnector ${id}`);
        }
        return { status: 200, body: runGetConnector(db, ds, query) };
      });
    }
    if (id.toLowerCase() !== 'knuser') {
      await this.store.read((db) => authorize(db, caller, { type: 'update', id }));
      throw refused(`UpdateConnector ${id} is not available in this sandbox (only KnUser)`);
    }
    if (method === 'DELETE') throw refused('KnUser does not delete users; block a user with MtCd 2 instead');
    if ((method !== 'POST' && method !== 'PUT') || conn[2]) throw notFound();
    const body = parseJson(raw);
    await this.store.transact((tx) => {
      authorize(tx, caller, { type: 'update', id: 'KnUser' });
      return applyKnUser(tx, method as 'POST' | 'PUT', body, timestamp());
    });
    // 201 with no body: AFAS documents none for KnUser.
    return { status: 201 };
  }

  async metaInfo(caller: Caller): Promise<JsonReply> {
    return this.store.read((db) => {
      authorize(db, caller, { type: 'meta' });
      if (caller.kind === 'admin') {
        const ids = [...this.datasets.values()].map((d) => d.id);
        return {
          status: 200,
          body: {
            updateConnectors: [{ id: 'KnUser', description: 'Users' }],
            getConnectors: ids.map((id) => ({ id, description: id })),
            // No user group to name: `group` is left out (the spec types it as a string, never null).
            info: { envid: this.environment, appName: 'roster (sandbox)', tokenExpiry: '0' },
          },
        };
      }
      const a = caller.appConnector;
      return {
        status: 200,
        body: {
          updateConnectors: a.updateConnectors.map((id) => ({ id, description: id })),
          getConnectors: a.getConnectors.map((id) => ({ id, description: id })),
          info: {
            envid: this.environment,
            appName: a.description,
            group: `${db.table('group').get(a.group)?.id ?? a.group} (${caller.user.userId})`,
            tokenExpiry: '0',
          },
        },
      };
    });
  }
}
