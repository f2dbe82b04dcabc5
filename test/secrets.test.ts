import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFiles, project, roster, serveSandbox } from './helpers.js';

// Credentials a sandbox provider checks like the real system would; none may appear anywhere.
const CLIENT_ID = 'cid-7f3a9c1e55d2';
const CLIENT_SECRET = 's3cr3t-Zq8vY2pLw9xK4mN';
const USER_ID = 'roster-bot-31c7';

describe('no credential value in any output, plan file, state or sandbox file', () => {
  it('runs validate, plan, apply, drift, state and providers without leaking', async () => {
    const dir = project({
      'p.yaml': `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec:
  type: intacct
  endpoint: sandbox
  companyId: demo-co
  credentials:
    clientId: \${env:T_CLIENT_ID}
    clientSecret: \${file:secret.txt}
    userId: \${env:T_USER_ID}
`,
      'secret.txt': `${CLIENT_SECRET}\n`,
      'a.yaml': `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: a, provider: books }
spec:
  id: WS_A
  email: a@example.com
  contact: { firstName: A, lastName: B, email: a@example.com }
  status: active
`,
    });
    const env = { T_CLIENT_ID: CLIENT_ID, T_USER_ID: USER_ID };
    const outputs: string[] = [];
    const run = async (args: string[]) => {
      const r = await roster(args, { cwd: dir, env });
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    expect((await run(['validate'])).code).toBe(0);
    // Before the first apply there is no state: --allow-empty-state, as a first run.
    expect((await run(['plan', '--out', 'plan.json', '--allow-empty-state'])).code).toBe(0);
    expect((await run(['plan', '--format', 'json', '--allow-empty-state'])).code).toBe(0);
    expect((await run(['plan', '--format', 'markdown', '--allow-empty-state'])).code).toBe(0);
    expect((await run(['apply', 'plan.json'])).code).toBe(0);
    expect((await run(['drift', '--format', 'json'])).code).toBe(0);
    expect((await run(['state', 'show', 'books/ServiceAccount/a'])).code).toBe(0);
    expect((await run(['plan', '-v'])).code).toBe(0);

    // The sandbox checks the declared credentials from outside too.
    const server = await serveSandbox(dir, 'books', [], env);
    try {
      const res = await fetch(`${server.url}/ia/api/v1/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'x',
          client_secret: 'y',
          username: 'u@demo-co',
        }),
      });
      expect(res.status).toBe(401);
    } finally {
      await server.stop();
    }

    const files = allFiles(dir).filter((f) => path.basename(f) !== 'secret.txt');
    for (const text of [...outputs, ...files.map((f) => readFileSync(f, 'utf8'))]) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(CLIENT_ID);
      expect(text).not.toContain(USER_ID);
    }
    expect(files.some((f) => f.endsWith('state.json'))).toBe(true);
    expect(files.some((f) => f.includes(`${path.sep}sandbox${path.sep}`))).toBe(true);
  });
});
