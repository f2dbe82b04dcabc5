import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, editFile, intacctProviderYaml, project, roster, serveSandbox } from './helpers.js';

// Issue 16, item 10: a pull request could point a Provider at any host, and plan (run by CI with the
// provider's credentials) would sign in there, sending them. A Policy `endpoints` allow-list stops
// every command that connects at the Provider's endpoint line, before any request leaves.

/** A loopback server standing in for the attacker's host: it must receive nothing. */
let server: Server;
let port = 0;
const received: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"ia::error":{"message":"no"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const CREDENTIALS = { AL_CID: 'allow-cid-4c1e9a', AL_CS: 'allow-secret-Hq8wN3', AL_UID: 'ws-allow-77' };

const files = (endpoint: string, allowed: string) => ({
  'p.yaml': intacctProviderYaml({ endpoint, envPrefix: 'AL' }),
  'a.yaml': `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: a, provider: books }
spec:
  id: WS_A
  email: a@example.com
  contact: { firstName: A, lastName: B, email: a@example.com }
  status: active
`,
  'policy.yaml': `apiVersion: roster/v1
kind: Policy
metadata: { name: endpoints }
spec:
  endpoints:
    intacct: [${allowed}]
`,
});

describe('a Provider endpoint outside the Policy allow-list (issue 16, item 10)', () => {
  it('every command that connects stops at the endpoint line, exit 1, and the host receives nothing', async () => {
    const dir = project(files(`http://127.0.0.1:${port}`, 'https://api.intacct.com'));
    const commands = [
      ['validate'],
      ['plan', '--allow-empty-state'],
      ['plan', '--allow-empty-state', '--format', 'json'],
      ['apply', '--auto-approve'],
      ['drift', '--allow-empty-state'],
      ['test'],
      ['import', 'books/ServiceAccount/a', 'WS_A'],
      ['export', '--provider', 'books'],
    ];
    for (const args of commands) {
      const r = await roster(args, { cwd: dir, env: CREDENTIALS });
      const all = r.stdout + r.stderr;
      expect(r.code, `${args.join(' ')}: ${all}`).toBe(1);
      expect(all, args.join(' ')).toContain(
        `p.yaml:6:13: error[policy.endpoint]: endpoint http://127.0.0.1:${port} of provider books is not allowed: the Policy endpoints allow-list lists https://api.intacct.com for intacct (policy.yaml:6)`,
      );
      expect(all).not.toMatch(/\n\s+at /);
    }
    expect(received).toEqual([]);
    console.log(
      `endpoint allow-list: ${commands.length} commands refused at p.yaml:6:13, ${received.length} requests received`,
    );
  });

  it('an endpoint on the list is used (the same server then receives the sign-in), and endpoint: sandbox is always allowed', async () => {
    const dir = project(files(`http://127.0.0.1:${port}`, `https://api.intacct.com, "http://127.0.0.1:*"`));
    const plan = await roster(['plan', '--allow-empty-state'], { cwd: dir, env: CREDENTIALS });
    expect(plan.stderr).not.toContain('policy.endpoint');
    expect(plan.code).toBe(1); // the stand-in refuses the sign-in
    expect(received.length).toBeGreaterThan(0);

    const sandbox = copyExample('quickstart');
    writeFileSync(
      path.join(sandbox, 'policy.yaml'),
      'apiVersion: roster/v1\nkind: Policy\nmetadata: { name: endpoints }\nspec:\n  endpoints: { intacct: [] }\n',
    );
    const quick = await roster(['plan', '--allow-empty-state'], { cwd: sandbox });
    expect(quick.code, quick.stderr).toBe(0);
  });

  it("a saved plan applied with -f is held to the manifests' allow-list too", async () => {
    const served = project(files('sandbox', 'https://api.intacct.com'));
    const sandbox = await serveSandbox(served, 'books', [], CREDENTIALS);
    try {
      const dir = project(files(sandbox.url, '"http://127.0.0.1:*"'));
      const plan = await roster(['plan', '--allow-empty-state', '--out', 'plan.json'], {
        cwd: dir,
        env: CREDENTIALS,
      });
      expect(plan.code, plan.stderr).toBe(0);
      editFile(path.join(dir, 'policy.yaml'), '"http://127.0.0.1:*"', 'https://api.intacct.com');
      const apply = await roster(['apply', 'plan.json', '-f', '.'], { cwd: dir, env: CREDENTIALS });
      expect(apply.code).toBe(1);
      expect(apply.stderr).toContain(
        `plan.json: the endpoint ${sandbox.url} of provider books is not in the Policy endpoints allow-list of the manifests; nothing was sent`,
      );
      const state = (await (
        await fetch(`${sandbox.url}/__sandbox/state`, { headers: sandbox.headers })
      ).json()) as {
        tables: { user: Array<{ id: string }> };
      };
      expect(state.tables.user.filter((u) => u.id === 'WS_A')).toEqual([]);
    } finally {
      await sandbox.stop();
    }
  });
});
