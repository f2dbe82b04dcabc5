import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  faultSwitchOf,
  listenOptions,
  readSandboxBody,
  type SimulatorBase,
  type SimulatorBaseOptions,
  sendJsonReply,
  startHttpServer,
} from '@roster/sim-kit';
import { ConsoleError, type ConsoleReply, handleConsole } from './console.js';
import { RegisterStore } from './store.js';

/** Where it persists and listens, its console secret and faults, as every simulator (no journal to compact). */
export interface SandboxOptions extends Omit<SimulatorBaseOptions, 'dir' | 'compactBytes'> {
  /** Directory the registers and their export live in. */
  dir: string;
  /** An already open store of `dir` (the connection shares its own). */
  store?: RegisterStore;
}

/** A running sandbox console. */
export interface Sandbox extends SimulatorBase {
  /** Origin, e.g. `http://127.0.0.1:43123`; the console is under `/__sandbox/`. */
  url: string;
  store: RegisterStore;
  /** Where `POST /__sandbox/export` writes the CSV files. */
  exportDir: string;
}

/** Routes that answer whatever the fault switches say: a test must always be able to look and switch back. */
const FAULT_FREE = new Set(['/faults', '/state']);

function readBody(req: IncomingMessage): Promise<string> {
  return readSandboxBody(req, () => new ConsoleError(413, 'the request is larger than 1 MB'));
}

function send(res: ServerResponse, reply: ConsoleReply, headers: Record<string, string> = {}): void {
  if (reply.text !== undefined) {
    res.writeHead(reply.status, {
      'content-type': reply.contentType ?? 'text/plain; charset=utf-8',
      'content-length': String(Buffer.byteLength(reply.text)),
      ...headers,
    });
    res.end(reply.text);
    return;
  }
  // An empty answer says so (length 0) rather than leave the client to wait for the close.
  const empty: Record<string, string> = reply.body === undefined ? { 'content-length': '0' } : {};
  sendJsonReply(res, { status: reply.status, body: reply.body, headers: { ...empty, ...headers } });
}

/**
 * Start the Proliance sandbox: the simulated registers, persisted in `dir`, behind an admin
 * console over HTTP (`/__sandbox/…`) that stands in for Proliance's UI. Proliance has no API to
 * simulate; roster reads the CSV export the console writes (`POST /__sandbox/export`, and once at
 * start). The fault switches (latency, 5xx, 429, dropped connections) apply to console routes other
 * than `/faults` and `/state`, like a flaky UI session.
 */
export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const ownStore = opts.store === undefined;
  const store = opts.store ?? (await RegisterStore.open({ dir: opts.dir }));
  await store.writeExport();
  const faults = faultSwitchOf(opts);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    if (!url.pathname.startsWith('/__sandbox/')) {
      send(res, {
        status: 404,
        body: { error: 'Proliance has no public API; the sandbox serves only its console under /__sandbox/' },
      });
      return;
    }
    const path = url.pathname.slice('/__sandbox'.length);
    const faultFree = FAULT_FREE.has(path.replace(/\/+$/, ''));
    const { fault, retryAfterSeconds } = faultFree
      ? { fault: { kind: 'none' } as const, retryAfterSeconds: 0 }
      : await faults.strike();
    if (fault.kind === 'drop' && fault.when === 'before') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'throttle' || fault.kind === 'error') {
      const status = fault.kind === 'throttle' ? 429 : fault.status;
      send(
        res,
        { status, body: { error: status === 429 ? 'too many requests' : 'Proliance is not available' } },
        { 'retry-after': String(retryAfterSeconds) },
      );
      return;
    }
    let reply: ConsoleReply;
    try {
      reply = await handleConsole(store, faults, method, path, await readBody(req));
    } catch (err) {
      reply =
        err instanceof ConsoleError
          ? { status: err.status, body: { error: err.message } }
          : { status: 500, body: { error: (err as Error)?.message ?? String(err) } };
    }
    if (fault.kind === 'drop') {
      // The change is made, but the caller never hears about it.
      req.socket.destroy();
      return;
    }
    send(res, reply);
  };

  const server = await startHttpServer({
    ...listenOptions(opts),
    handle,
    failureReply: (err) => ({ status: 500, body: { error: (err as Error)?.message ?? String(err) } }),
    onClose: async () => {
      if (ownStore) await store.close();
    },
  });
  return {
    url: server.url,
    consoleToken: server.consoleToken,
    store,
    faults,
    exportDir: store.exportDir,
    close: server.close,
  };
}
