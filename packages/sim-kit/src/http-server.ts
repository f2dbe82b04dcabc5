import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JsonReply, sendJsonReply } from './json-reply.js';

/** What {@link startHttpServer} serves, and where. */
export interface HttpServerOptions {
  /** Default `127.0.0.1`. */
  host?: string;
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
  /** Stop listening, cut open connections, then run `onClose`; calling it again waits for the same. */
  close(): Promise<void>;
}

/** Start an HTTP server for a simulator and wait until it listens. */
export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const server = createServer((req, res) => {
    opts.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJsonReply(res, opts.failureReply(err));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${addr.port}`,
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
