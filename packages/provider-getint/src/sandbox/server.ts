import type { IncomingMessage } from 'node:http';
import { readSandboxBody, sendJsonReply, startHttpServer } from '@roster/sim-kit';
import type { SandboxConnection, SandboxStore } from './store.js';

/** A refusal of the console, answered with its status and `{ errors: [message] }`. */
class ConsoleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const SHARING = new Set(['view', 'use', 'edit']);

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readSandboxBody(
    req,
    (max) => new ConsoleError(413, `the body is larger than ${max} bytes`),
  );
  if (text.trim() === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error();
    return v as Record<string, unknown>;
  } catch {
    throw new ConsoleError(400, 'the body must be a JSON object');
  }
}

function find(list: SandboxConnection[], idOrName: string): SandboxConnection {
  const c = list.find((x) => x.id === idOrName || x.name.toLowerCase() === idOrName.toLowerCase());
  if (!c) throw new ConsoleError(404, `no connection ${idOrName}`);
  return c;
}

/**
 * Getint has no management API, so the sandbox is its UI only: an admin console over HTTP
 * (`/__sandbox/…`) where tests and the sandbox operator do what a person does in Workflows ›
 * Connections. Connections never hold a token here.
 */
export async function startConsole(
  store: SandboxStore,
  opts: { host?: string; port?: number; allowRemote?: boolean; consoleToken?: string } = {},
): Promise<{ url: string; consoleToken: string; close(): Promise<void> }> {
  const handle = async (req: IncomingMessage): Promise<{ status: number; body?: unknown }> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== '__sandbox')
      throw new ConsoleError(404, 'Getint has no API here; the console is under /__sandbox/');
    const [, what, id] = parts;
    const method = req.method ?? 'GET';
    if (what === 'state' && method === 'GET')
      return { status: 200, body: { connections: await store.read() } };
    if (what !== 'connections') throw new ConsoleError(404, `no console route ${url.pathname}`);
    if (!id && method === 'GET') return { status: 200, body: await store.read() };
    if (!id && method === 'POST') {
      const b = await body(req);
      for (const k of ['name', 'app', 'url'] as const)
        if (typeof b[k] !== 'string' || b[k] === '') throw new ConsoleError(400, `${k} is required`);
      if (b.account === undefined) throw new ConsoleError(400, 'account is required');
      const sharing = b.sharing === undefined ? 'view' : String(b.sharing);
      if (!SHARING.has(sharing)) throw new ConsoleError(400, 'sharing is view, use or edit');
      const made = await store.update((doc) => {
        if (doc.connections.some((c) => c.name.toLowerCase() === String(b.name).toLowerCase()))
          throw new ConsoleError(409, `a connection named ${String(b.name)} already exists`);
        const now = new Date().toISOString();
        const c: SandboxConnection = {
          id: doc.nextId(),
          name: String(b.name),
          app: String(b.app),
          url: String(b.url),
          sharing,
          account: b.account,
          createdAt: now,
          updatedAt: now,
          tokenChangedAt: now,
        };
        doc.connections.push(c);
        return c;
      });
      return { status: 201, body: made };
    }
    if (!id) throw new ConsoleError(405, `${method} is not allowed here`);
    if (method === 'GET') return { status: 200, body: find(await store.read(), id) };
    if (method === 'PATCH') {
      const b = await body(req);
      if ('app' in b)
        throw new ConsoleError(400, 'the app of a connection cannot change: create another connection');
      if (b.sharing !== undefined && !SHARING.has(String(b.sharing)))
        throw new ConsoleError(400, 'sharing is view, use or edit');
      const updated = await store.update((doc) => {
        const c = find(doc.connections, id);
        const now = new Date().toISOString();
        for (const k of ['name', 'url', 'sharing'] as const) if (typeof b[k] === 'string') c[k] = b[k];
        if (b.account !== undefined) c.account = b.account;
        if (b.newToken === true) c.tokenChangedAt = now;
        c.updatedAt = now;
        return c;
      });
      return { status: 200, body: updated };
    }
    if (method === 'DELETE') {
      await store.update((doc) => {
        const c = find(doc.connections, id);
        doc.connections.splice(doc.connections.indexOf(c), 1);
      });
      return { status: 204 };
    }
    throw new ConsoleError(405, `${method} is not allowed here`);
  };

  // The guard of sim-kit's server (per-run secret, Host, Origin, body size) runs before `handle`.
  return startHttpServer({
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.allowRemote !== undefined ? { allowRemote: opts.allowRemote } : {}),
    ...(opts.consoleToken !== undefined ? { consoleToken: opts.consoleToken } : {}),
    // Everything here is the console (Getint has no API to simulate).
    isConsole: () => true,
    handle: async (req, res) => {
      let reply: { status: number; body?: unknown };
      try {
        reply = await handle(req);
      } catch (err) {
        reply = {
          status: err instanceof ConsoleError ? err.status : 500,
          body: { errors: [err instanceof Error ? err.message : String(err)] },
        };
      }
      sendJsonReply(res, reply);
    },
    failureReply: (err) => ({ status: 500, body: { errors: [String(err)] } }),
    onClose: async () => {},
  });
}
