import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { JsonReply } from './json-reply.js';

/** The header that carries the admin console's per-run secret. */
export const CONSOLE_TOKEN_HEADER = 'x-roster-sandbox-token';
/**
 * Where a roster process connecting to a served sandbox (`endpoint: http://127.0.0.1:…`) finds the
 * console secret `roster sandbox serve` printed.
 */
export const CONSOLE_TOKEN_ENV = 'ROSTER_SANDBOX_CONSOLE_TOKEN';
/** The largest request body a simulator reads (1 MiB); larger ones are refused with 413 unread. */
export const MAX_SANDBOX_BODY = 1024 * 1024;

/** A new console secret: 32 random bytes, base64url. */
export function newConsoleToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Headers of a console call: JSON, and the secret when there is one. */
export function consoleHeaders(token: string | undefined): Record<string, string> {
  return { 'content-type': 'application/json', ...(token ? { [CONSOLE_TOKEN_HEADER]: token } : {}) };
}

/** The console secret a connection to a served sandbox uses: `ROSTER_SANDBOX_CONSOLE_TOKEN`. */
export function consoleTokenFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const t = env[CONSOLE_TOKEN_ENV]?.trim();
  return t ? t : undefined;
}

/** True for the addresses a sandbox may listen on without `--allow-remote`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Content types a browser sends cross-origin without asking first (a CORS "simple request"). */
const SIMPLE_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'];

export interface GuardOptions {
  /** The port served. */
  port: number;
  /** The address served (without brackets). */
  address: string;
  /** The console secret. */
  token: string;
  /** Listening beyond loopback was asked for (`--allow-remote`): the `Host` check is off. */
  allowRemote: boolean;
  /** Whether a path is the admin console's (default: under `/__sandbox`). */
  isConsole: (pathname: string) => boolean;
  maxBodyBytes: number;
}

/**
 * The checks every simulator request passes before its handler runs, so none reads a body first:
 * the `Host` is this server's loopback address and port (a DNS-rebinding page names its own host);
 * an `Origin`, when sent, is this server's (a browser page elsewhere is refused); a console request
 * carries the per-run secret and is not a form or text post; a declared body is not over the limit.
 * Returns the refusal, or undefined to serve the request.
 */
export function guardRequest(req: IncomingMessage, o: GuardOptions): JsonReply | undefined {
  const refuse = (status: number, error: string): JsonReply => ({
    status,
    body: { error },
    headers: { connection: 'close' },
  });
  const hosts = new Set(
    [o.address.includes(':') ? `[${o.address}]` : o.address, '127.0.0.1', 'localhost', '[::1]'].map(
      (h) => `${h.toLowerCase()}:${o.port}`,
    ),
  );
  const host = (req.headers.host ?? '').toLowerCase();
  if (!o.allowRemote && !hosts.has(host)) {
    return refuse(
      421,
      `this sandbox answers only requests addressed to its loopback address and port, not Host ${JSON.stringify(req.headers.host ?? '')}`,
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return refuse(403, 'cross-origin requests are refused (the Origin is not this sandbox)');
  }
  const pathname = new URL(req.url ?? '/', 'http://sandbox').pathname;
  if (o.isConsole(pathname)) {
    const sent = req.headers[CONSOLE_TOKEN_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, o.token)) {
      return refuse(
        401,
        `the sandbox console needs its per-run secret in the ${CONSOLE_TOKEN_HEADER} header (roster sandbox serve prints it)`,
      );
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (SIMPLE_TYPES.includes(type)) {
      return refuse(415, `the console takes JSON (Content-Type: application/json), not ${type}`);
    }
  }
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > o.maxBodyBytes) {
    return refuse(413, `the request body is larger than ${o.maxBodyBytes} bytes`);
  }
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
