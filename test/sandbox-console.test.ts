import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_TOKEN_HEADER, copyExample, roster, serveSandbox } from './helpers.js';

/** Every simulator `roster sandbox serve` runs, in the company example. */
const SANDBOXES = ['intacct-sandbox', 'autotask-prod', 'afas-sandbox', 'proliance', 'getint'];

/** One request with the headers given verbatim (fetch cannot set Host); answers status and body. */
function send(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const r = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      let text = '';
      res.on('data', (d) => {
        text += String(d);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    r.on('error', reject);
    r.end(opts.body);
  });
}

/**
 * A POST declaring `bytes` of body, written in 1 MiB chunks for as long as the server has not
 * answered (a server that reads before it refuses gets all of it). Resolves with the status.
 */
function oversizePost(url: string, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(1024 * 1024, 0x7b);
    let answered = false;
    const r = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(bytes) } },
      (res) => {
        answered = true;
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    // The server may close while we still write: that is the refusal, not a failure.
    r.on('error', () => {
      if (!answered) resolve(0);
    });
    let sent = 0;
    const pump = () => {
      while (!answered && sent < bytes) {
        sent += chunk.length;
        if (!r.write(chunk)) return void r.once('drain', pump);
      }
      if (!answered) r.end();
    };
    pump();
  });
}

/** Peak resident memory of a process, in MB (Linux `VmHWM`). */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

describe('the sandbox admin console (issue 16, item 8)', () => {
  it('every simulator refuses the console without the per-run secret, and serves it with it', async () => {
    const dir = copyExample('company');
    for (const name of SANDBOXES) {
      const served = await serveSandbox(dir, name);
      try {
        // The secret is printed on stderr and left in a 0600 file beside the sandbox.
        const file = path.join(dir, '.roster', 'sandbox', name, 'console-token');
        expect(readFileSync(file, 'utf8').trim(), name).toBe(served.token);
        expect(statSync(file).mode & 0o777, name).toBe(0o600);
        const none = await fetch(`${served.url}/__sandbox/state`);
        expect(none.status, name).toBe(401);
        expect(await none.text(), name).toContain(CONSOLE_TOKEN_HEADER);
        const wrong = await fetch(`${served.url}/__sandbox/state`, {
          headers: { [CONSOLE_TOKEN_HEADER]: `${served.token.slice(1)}x` },
        });
        expect(wrong.status, name).toBe(401);
        const right = await fetch(`${served.url}/__sandbox/state`, { headers: served.headers });
        expect(right.status, name).toBe(200);
      } finally {
        await served.stop();
      }
    }
  });

  it('hands out no password, refuses DNS rebinding, cross-origin and text/plain posts', async () => {
    const dir = copyExample('quickstart');
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code, apply.stderr).toBe(0);
    const served = await serveSandbox(dir, 'intacct-sandbox');
    const port = new URL(served.url).port;
    try {
      const reset = `${served.url}/__sandbox/users/WS_INVOICE_PORTAL/reset-password`;
      // What the attack did: a POST with no secret got a new password back.
      const stolen = await send(reset, { method: 'POST' });
      expect(stolen.status).toBe(401);
      expect(stolen.text).not.toContain('password"');
      // A page on another origin posting text/plain (a "simple" request, no preflight).
      const page = await send(reset, {
        method: 'POST',
        headers: { origin: 'http://attacker.example', 'content-type': 'text/plain' },
        body: '{}',
      });
      expect(page.status).toBe(403);
      // Even with the secret, a text/plain post to the JSON console is refused.
      const plain = await send(reset, {
        method: 'POST',
        headers: { [CONSOLE_TOKEN_HEADER]: served.token, 'content-type': 'text/plain' },
        body: '{}',
      });
      expect(plain.status).toBe(415);
      // DNS rebinding: the browser sends the attacker's host name, to this port — API and console.
      for (const p of ['/__sandbox/state', '/ia/api/v1/objects/company-config/user']) {
        const rebound = await send(`${served.url}${p}`, {
          headers: { host: `rebind.attacker.example:${port}`, [CONSOLE_TOKEN_HEADER]: served.token },
        });
        expect(rebound.status, p).toBe(421);
      }
      const ok = await send(reset, { method: 'POST', headers: served.headers });
      expect(ok.status, ok.text).toBe(200);
      expect(JSON.parse(ok.text)).toMatchObject({ id: 'WS_INVOICE_PORTAL' });
    } finally {
      await served.stop();
    }
  });

  it('refuses a non-loopback --host unless --allow-remote is given, then warns', async () => {
    const dir = copyExample('quickstart');
    const refused = await roster(['sandbox', 'serve', '--provider', 'intacct-sandbox', '--host', '0.0.0.0'], {
      cwd: dir,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--host 0.0.0.0 is not a loopback address');
    expect(refused.stderr).toContain('--allow-remote');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    const served = await serveSandbox(dir, 'intacct-sandbox', ['--host', '0.0.0.0', '--allow-remote']);
    try {
      expect(served.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      // Still the secret for the console.
      const port = new URL(served.url).port;
      expect((await fetch(`http://127.0.0.1:${port}/__sandbox/state`)).status).toBe(401);
    } finally {
      await served.stop();
    }
    expect(served.stderr()).toContain('warning: --allow-remote');
  });

  it('refuses 16 oversize unauthenticated posts unread: the server stays small', async () => {
    const dir = copyExample('quickstart');
    const served = await serveSandbox(dir, 'intacct-sandbox');
    try {
      const before = peakRssMb(served.child.pid!);
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++)
        statuses.push(await oversizePost(`${served.url}/__sandbox/seed`, 64 * 1024 * 1024));
      const after = peakRssMb(served.child.pid!);
      console.log(
        `sandbox serve peak RSS: ${before.toFixed(0)} MB at start, ${after.toFixed(0)} MB after 16 × 64 MiB posts`,
      );
      expect(statuses.every((s) => s === 401 || s === 0)).toBe(true);
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
      // The body is never buffered: the peak grows by far less than one 64 MiB body.
      expect(after - before).toBeLessThan(32);
      // An authenticated body over 1 MiB is refused too, before it is read.
      const big = await send(`${served.url}/__sandbox/seed`, {
        method: 'POST',
        headers: { ...served.headers, 'content-length': String(2 * 1024 * 1024) },
      });
      expect(big.status).toBe(413);
    } finally {
      await served.stop();
    }
  });
});
