import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFiles, project, type RunResult, readJson, roster, serveSandbox } from './helpers.js';

// Two accounts, as a real company would have them: roster's write user and its read-only user.
const WRITE = { W_CID: 'w-cid-5d1f80', W_CS: 'w-secret-Qx7bT2', W_UID: 'ws-roster-w-90ac' };
const READ = { R_CID: 'r-cid-31e4c7', R_CS: 'r-secret-Lm4pV8', R_UID: 'ws-roster-r-77b2' };
const SECRETS = [...Object.values(WRITE), ...Object.values(READ)];

const CREDENTIALS = `  credentials:
    clientId: \${env:W_CID}
    clientSecret: \${env:W_CS}
    userId: \${env:W_UID}
    read:
      clientId: \${env:R_CID}
      clientSecret: \${env:R_CS}
      userId: \${env:R_UID}
`;

const READ_ONLY_CREDENTIALS = `  credentials:
    read:
      clientId: \${env:R_CID}
      clientSecret: \${env:R_CS}
      userId: \${env:R_UID}
`;

const provider = (endpoint: string, credentials: string) => `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec:
  type: intacct
  endpoint: ${endpoint}
  companyId: demo-co
${credentials}`;

const ACCOUNT = `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: a, provider: books }
spec:
  id: WS_A
  email: a@example.com
  contact: { firstName: A, lastName: B, email: a@example.com }
  status: active
`;

/** Every output of a run, kept to check that no credential value ever appears. */
function recorder() {
  const outputs: string[] = [];
  return {
    outputs,
    run: async (args: string[], cwd: string, env: Record<string, string>): Promise<RunResult> => {
      const r = await roster(args, { cwd, env });
      outputs.push(r.stdout, r.stderr);
      return r;
    },
  };
}

function expectNoSecrets(texts: string[]): void {
  for (const text of texts) for (const s of SECRETS) expect(text).not.toContain(s);
}

describe('credentials.read: plan and drift read with the read-only account, apply writes with the other', () => {
  it('against a served sandbox that knows both accounts and refuses the read-only one every write', async () => {
    // The served sandbox stands in for the real company: it knows roster's two users.
    const served = project({ 'p.yaml': provider('sandbox', CREDENTIALS) });
    const env = { ...WRITE, ...READ };
    const server = await serveSandbox(served, 'books', [], env);
    const { outputs, run } = recorder();
    try {
      const dir = project({ 'p.yaml': provider(server.url, CREDENTIALS), 'a.yaml': ACCOUNT });

      // plan -v names the credentials it signs in with: the read set, by origin only. Nothing is in
      // state before the first apply: --allow-empty-state, as a first run.
      const plan = await run(['plan', '-v', '--allow-empty-state'], dir, env);
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('WS_A');
      expect(plan.stderr).toContain(
        'books: read-only connection signs in with credentials.read (clientId from env:R_CID, clientSecret from env:R_CS, userId from env:R_UID)',
      );

      // plan, drift and a saved plan never use the write account: a wrong write secret changes nothing.
      const badWrite = { ...env, W_CS: 'not-the-write-secret' };
      expect((await run(['plan', '--out', 'plan.json', '--allow-empty-state'], dir, badWrite)).code).toBe(0);
      expect((await run(['drift', '--allow-empty-state'], dir, badWrite)).code).toBe(0);
      const saved = readJson<{ providers: Array<Record<string, unknown>> }>(path.join(dir, 'plan.json'));
      expect(saved.providers[0]).toMatchObject({
        credentials: { clientId: 'env:W_CID', clientSecret: 'env:W_CS', userId: 'env:W_UID' },
        readCredentials: { clientId: 'env:R_CID', clientSecret: 'env:R_CS', userId: 'env:R_UID' },
      });

      // apply uses the write account: with a wrong write secret the sandbox refuses the sign-in …
      const refusedSignIn = await run(['apply', '--auto-approve'], dir, badWrite);
      expect(refusedSignIn.code).toBe(1);
      expect(refusedSignIn.stderr).toMatch(/401|not valid/);
      // … and given the read-only account as write credentials, it refuses the write itself (403).
      const asReader = { ...env, W_CID: READ.R_CID, W_CS: READ.R_CS, W_UID: READ.R_UID };
      const refusedWrite = await run(['apply', '--auto-approve', '-v'], dir, asReader);
      expect(refusedWrite.code).toBe(1);
      expect(refusedWrite.stderr).toContain(
        'books: read-write connection signs in with credentials (clientId from env:W_CID',
      );
      expect(refusedWrite.stderr).toMatch(/This sign-in is read-only.*403/);

      // The saved plan applies with the write account, read again from the environment.
      const apply = await run(['apply', 'plan.json', '-v'], dir, env);
      expect(apply.code).toBe(0);
      expect(apply.stdout).toContain('1 created');
      expect(apply.stderr).not.toContain('credentials.read');

      // The scheduled drift job holds only the read-only account and still works.
      const driftEnv = { ...READ, W_CID: 'unset', W_CS: 'unset', W_UID: 'unset' };
      expect((await run(['drift'], dir, driftEnv)).code).toBe(0);
      expect((await run(['plan', '--detailed-exitcode'], dir, driftEnv)).code).toBe(0);

      const files = allFiles(dir).map((f) => readFileSync(f, 'utf8'));
      expectNoSecrets([...outputs, ...files]);
    } finally {
      await server.stop();
    }
  });

  it('with read credentials alone: plan works from the environment, apply refuses with one clear message', async () => {
    const dir = project({ 'p.yaml': provider('sandbox', READ_ONLY_CREDENTIALS), 'a.yaml': ACCOUNT });
    const { outputs, run } = recorder();

    expect((await run(['validate'], dir, READ)).code).toBe(0);
    const plan = await run(['plan', '-v', '--out', 'plan.json', '--allow-empty-state'], dir, READ);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('WS_A');
    expect(plan.stderr).toContain('books: read-only connection signs in with credentials.read');

    const message =
      'provider books has only read-only credentials (credentials.read): apply needs write credentials';
    const apply = await run(['apply', '--auto-approve'], dir, READ);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(message);
    expect(apply.stderr).not.toMatch(/\n\s+at /); // one message, no stack trace
    const applySaved = await run(['apply', 'plan.json'], dir, READ);
    expect(applySaved.code).toBe(1);
    expect(applySaved.stderr).toContain(message);
    // Nothing was written, not even state: the next plan still creates the account.
    expect((await run(['plan', '--detailed-exitcode', '--allow-empty-state'], dir, READ)).code).toBe(2);

    expectNoSecrets([...outputs, ...allFiles(dir).map((f) => readFileSync(f, 'utf8'))]);
  });

  it('refuses a literal value inside credentials.read at its line', async () => {
    const dir = project({
      'p.yaml': provider('sandbox', '  credentials:\n    read:\n      clientId: literal-client\n'),
    });
    writeFileSync(path.join(dir, 'a.yaml'), ACCOUNT);
    const r = await roster(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('p.yaml:10:17: error[manifest.literal-secret]');
    expect(r.stderr).not.toContain('literal-client');
  });
});
