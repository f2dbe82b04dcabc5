import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startHttpServer } from './http-server.js';
import { sendJsonReply } from './json-reply.js';
import { CONSOLE_TOKEN_HEADER, isLoopbackHost } from './sandbox-guard.js';

/** A server whose handler records whether it ran and how many body bytes it read. */
async function server() {
  const seen: string[] = [];
  const s = await startHttpServer({
    handle: async (req, res) => {
      let size = 0;
      for await (const c of req) size += (c as Buffer).length;
      seen.push(`${req.method} ${req.url} ${size}`);
      sendJsonReply(res, { status: 200, body: { ok: true } });
    },
    failureReply: () => ({ status: 500 }),
    onClose: async () => {},
  });
  return { s, seen };
}

/** A raw request (fetch cannot set Host), answering the status. */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<number>((resolve, reject) => {
    const r = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    r.on('error', reject);
    r.end(opts.body);
  });
}

describe('the sandbox guard', () => {
  it('lets the console in only with the per-run secret, and never runs the handler otherwise', async () => {
    const { s, seen } = await server();
    try {
      expect(s.consoleToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await fetch(`${s.url}/__sandbox/state`)).status).toBe(401);
      expect(
        (await fetch(`${s.url}/__sandbox/state`, { headers: { [CONSOLE_TOKEN_HEADER]: 'x'.repeat(43) } }))
          .status,
      ).toBe(401);
      expect(
        (await fetch(`${s.url}/__sandbox/state`, { headers: { [CONSOLE_TOKEN_HEADER]: s.consoleToken } }))
          .status,
      ).toBe(200);
      // Not the console: the simulated system's own authentication applies, so it passes here.
      expect((await fetch(`${s.url}/api/x`)).status).toBe(200);
      expect(seen).toEqual(['GET /__sandbox/state 0', 'GET /api/x 0']);
    } finally {
      await s.close();
    }
  });

  it('refuses another Host (DNS rebinding), another Origin and a text/plain console post', async () => {
    const { s, seen } = await server();
    const port = new URL(s.url).port;
    const auth = { [CONSOLE_TOKEN_HEADER]: s.consoleToken };
    try {
      expect(await raw(`${s.url}/api/x`, { headers: { host: `attacker.example:${port}` } })).toBe(421);
      expect(await raw(`${s.url}/api/x`, { headers: { host: `127.0.0.1:${Number(port) + 1}` } })).toBe(421);
      expect(await raw(`${s.url}/api/x`, { headers: { host: `localhost:${port}` } })).toBe(200);
      expect(await raw(`${s.url}/api/x`, { headers: { origin: 'http://attacker.example' } })).toBe(403);
      expect(await raw(`${s.url}/api/x`, { headers: { origin: s.url } })).toBe(200);
      const post = (type: string) =>
        raw(`${s.url}/__sandbox/faults`, {
          method: 'POST',
          headers: { ...auth, 'content-type': type },
          body: '{}',
        });
      expect(await post('text/plain;charset=UTF-8')).toBe(415);
      expect(await post('application/x-www-form-urlencoded')).toBe(415);
      expect(await post('multipart/form-data; boundary=x')).toBe(415);
      expect(await post('application/json')).toBe(200);
      expect(seen).toEqual(['GET /api/x 0', 'GET /api/x 0', 'POST /__sandbox/faults 2']);
    } finally {
      await s.close();
    }
  });

  it('refuses a declared body over 1 MiB unread', async () => {
    const { s, seen } = await server();
    try {
      const big = 'x'.repeat(1024 * 1024 + 1);
      const headers = { [CONSOLE_TOKEN_HEADER]: s.consoleToken, 'content-type': 'application/json' };
      expect((await fetch(`${s.url}/__sandbox/seed`, { method: 'POST', headers, body: big })).status).toBe(
        413,
      );
      expect((await fetch(`${s.url}/__sandbox/seed`, { method: 'POST', headers, body: '{}' })).status).toBe(
        200,
      );
      expect(seen).toEqual(['POST /__sandbox/seed 2']);
    } finally {
      await s.close();
    }
  });

  it('listens beyond loopback only when allowed', async () => {
    const start = (allowRemote?: boolean) =>
      startHttpServer({
        host: '0.0.0.0',
        ...(allowRemote !== undefined ? { allowRemote } : {}),
        handle: async (_req, res) => sendJsonReply(res, { status: 200 }),
        failureReply: () => ({ status: 500 }),
        onClose: async () => {},
      });
    await expect(start()).rejects.toThrow(/loopback only; 0\.0\.0\.0 needs allowRemote/);
    const open = await start(true);
    await open.close();
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com'].some(isLoopbackHost)).toBe(false);
  });
});
