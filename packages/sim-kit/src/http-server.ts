import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JsonReply, sendJsonReply } from './json-reply.js';
import { guardRequest, isLoopbackHost, MAX_SANDBOX_BODY, newConsoleToken } from './sandbox-guard.js';

/** What {@link startHttpServer} serves, and where. */
export interface HttpServerOptions {
  /** Default `127.0.0.1`. Anything but a loopback address needs `allowRemote`. */
  host?: string;
  /**
   * Listen on a non-loopback address (`roster sandbox serve --allow-remote`); the `Host` check
   * against DNS rebinding is then off (the console secret and the vendor authentication remain).
   */
  allowRemote?: boolean;
  /** The admin console's per-run secret (`x-roster-sandbox-token`); default: a new random one. */
  consoleToken?: string;
  /** Whether a path is the admin console's; default: `/__sandbox` and below. */
  isConsole?: (pathname: string) => boolean;
  /** A declared body larger than this is refused unread; default {@link MAX_SANDBOX_BODY} (1 MiB). */
  maxBodyBytes?: number;
  /** 0 (default): any free port. */
  port?: number;
  /** Answers one request. */
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The answer when `handle` fails before it has answered; once it has, the connection is dropped. */
  failureReply: (err: unknown) => JsonReply;
  /** Runs once, after the server has closed (the simulator closes its store). */
  onClose: () => Promise<void>;
}

/** A listening simulator server. */
export interface HttpServer {
  /** Origin, e.g. `http://127.0.0.1:43123` (an IPv6 address in brackets). */
  url: string;
  /** The admin console's secret: send it as `x-roster-sandbox-token`. */
  consoleToken: string;
  /** Stop listening, cut open connections, then run `onClose`; calling it again waits for the same. */
  close(): Promise<void>;
}

/** Start an HTTP server for a simulator and wait until it listens. */
export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && opts.allowRemote !== true) {
    throw new Error(`a sandbox listens on loopback only; ${host} needs allowRemote (--allow-remote)`);
  }
  const token = opts.consoleToken ?? newConsoleToken();
  let guard: Parameters<typeof guardRequest>[1] | undefined;
  const server = createServer((req, res) => {
    const refused = guard ? guardRequest(req, guard) : { status: 503, body: { error: 'not listening yet' } };
    if (refused) {
      // Answered without reading the body; the connection closes after the answer.
      sendJsonReply(res, refused);
      return;
    }
    opts.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJsonReply(res, opts.failureReply(err));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  guard = {
    port: addr.port,
    address: addr.address,
    token,
    allowRemote: opts.allowRemote === true,
    isConsole: opts.isConsole ?? ((p) => p === '/__sandbox' || p.startsWith('/__sandbox/')),
    maxBodyBytes: opts.maxBodyBytes ?? MAX_SANDBOX_BODY,
  };
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shown}:${addr.port}`,
    consoleToken: token,
    close: () => {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await opts.onClose();
      })();
      return closed;
    },
  };
}
