import { describe, expect, it } from 'vitest';
import { startHttpServer } from './http-server.js';
import { sendJsonReply } from './json-reply.js';

describe('startHttpServer', () => {
  it('serves, answers a failed request with the failure reply, and closes once', async () => {
    let closes = 0;
    const server = await startHttpServer({
      handle: async (req, res) => {
        if (req.url === '/fail') throw new Error('boom');
        sendJsonReply(res, { status: 201, body: { ok: true }, headers: { 'x-sim': '1' } });
      },
      failureReply: (err) => ({ status: 500, body: { error: (err as Error).message } }),
      onClose: async () => {
        closes++;
      },
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await fetch(`${server.url}/ok`);
    expect(ok.status).toBe(201);
    expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(ok.headers.get('content-length')).toBe('11');
    expect(ok.headers.get('x-sim')).toBe('1');
    expect(await ok.json()).toEqual({ ok: true });
    const failed = await fetch(`${server.url}/fail`);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: 'boom' });
    await Promise.all([server.close(), server.close()]);
    await server.close();
    expect(closes).toBe(1);
    await expect(fetch(`${server.url}/ok`)).rejects.toThrow();
  });
});
