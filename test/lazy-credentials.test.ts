import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allFiles, project, type RunResult, roster } from './helpers.js';

// roster's two accounts, in different variables (and a file for the write secret): a CI job that
// plans holds only the read ones; a fork's pull request holds none.
const WRITE = { LZ_W_CID: 'lz-w-cid-8f21', LZ_W_UID: 'lz-ws-roster-w-4c1d' };
const WRITE_SECRET = 'lz-w-secret-Tq93Xv';
const READ = { LZ_R_CID: 'lz-r-cid-6b0e', LZ_R_CS: 'lz-r-secret-Pk27Wd', LZ_R_UID: 'lz-ws-roster-r-13af' };
const SECRETS = [...Object.values(WRITE), WRITE_SECRET, ...Object.values(READ)];

const PROVIDER = `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec:
  type: intacct
  endpoint: sandbox
  companyId: demo-co
  credentials:
    clientId: \${env:LZ_W_CID}
    clientSecret: \${file:secrets/write-client-secret}
    userId: \${env:LZ_W_UID}
    read:
      clientId: \${env:LZ_R_CID}
      clientSecret: \${env:LZ_R_CS}
      userId: \${env:LZ_R_UID}
`;

const ACCOUNT = `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: a, provider: books }
spec:
  id: WS_A
  email: a@example.com
  contact: { firstName: A, lastName: B, email: a@example.com }
  status: active
`;

describe('credentials are resolved only by the command that uses them', () => {
  it('validate needs none, plan and drift only the read set, apply the write set (at its lines when missing)', async () => {
    const dir = project({ 'p.yaml': PROVIDER, 'a.yaml': ACCOUNT });
    const outputs: string[] = [];
    const run = async (args: string[], env: Record<string, string>): Promise<RunResult> => {
      const r = await roster(args, { cwd: dir, env });
      outputs.push(r.stdout, r.stderr);
      return r;
    };

    // A fork's pull request: no variable, no file. Every reference is still checked.
    const validate = await run(['validate'], {});
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);

    // The pull-request plan and the scheduled drift job: the read set only; the write file absent.
    const plan = await run(['plan', '-v', '--allow-empty-state'], READ);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('WS_A');
    expect(plan.stderr).toContain(
      'books: read-only connection signs in with credentials.read (clientId from env:LZ_R_CID, clientSecret from env:LZ_R_CS, userId from env:LZ_R_UID)',
    );
    expect(plan.stderr).not.toContain('LZ_W_');
    const drift = await run(['drift', '--allow-empty-state'], READ);
    expect(drift.stderr).not.toContain('error');
    expect(drift.code).toBe(0);

    // export reads the system with the read set too.
    const exported = await run(['export', '--provider', 'books', '--kind', 'ServiceAccount'], READ);
    expect(exported.stderr).not.toContain('error');
    expect(exported.code).toBe(0);

    // A missing read variable is the error of a command that reads: at its line, naming it.
    const noReadSecret = { LZ_R_CID: READ.LZ_R_CID, LZ_R_UID: READ.LZ_R_UID };
    const planMissing = await run(['plan', '--allow-empty-state'], noReadSecret);
    expect(planMissing.code).toBe(1);
    expect(planMissing.stderr).toContain(
      'p.yaml:14:21: error[manifest.env-unset]: environment variable LZ_R_CS is not set',
    );
    expect(planMissing.stderr).not.toContain('LZ_W_');

    // apply with the read set only: every missing part of the write set, at its line; no stack trace.
    const apply = await run(['apply', '--auto-approve'], READ);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(
      'p.yaml:9:15: error[manifest.env-unset]: environment variable LZ_W_CID is not set',
    );
    expect(apply.stderr).toContain(
      'p.yaml:10:19: error[manifest.file-unreadable]: cannot read credentials file secrets/write-client-secret: no such file',
    );
    expect(apply.stderr).toContain(
      'p.yaml:11:13: error[manifest.env-unset]: environment variable LZ_W_UID is not set',
    );
    expect(apply.stderr).not.toMatch(/\n\s+at /);
    expect(apply.stderr).not.toContain('LZ_R_');
    // The write set given but one variable unset: that line only.
    const applyOne = await run(['apply', '--auto-approve'], { LZ_W_CID: WRITE.LZ_W_CID });
    expect(applyOne.code).toBe(1);
    expect(applyOne.stderr).toContain(
      'p.yaml:11:13: error[manifest.env-unset]: environment variable LZ_W_UID is not set',
    );
    expect(applyOne.stderr).not.toContain('LZ_W_CID');
    // Nothing was written: the next plan still creates the account.
    expect((await run(['plan', '--detailed-exitcode', '--allow-empty-state'], READ)).code).toBe(2);

    const files = allFiles(dir).map((f) => readFileSync(f, 'utf8'));
    for (const text of [...outputs, ...files]) for (const s of SECRETS) expect(text).not.toContain(s);
  });

  it('with only read credentials declared, apply keeps its one clear message', async () => {
    const dir = project({
      'p.yaml': PROVIDER.replace(/ {4}clientId: \$\{env:LZ_W_CID\}\n.*\n.*LZ_W_UID\}\n/, ''),
      'a.yaml': ACCOUNT,
    });
    expect(readFileSync(`${dir}/p.yaml`, 'utf8')).not.toContain('LZ_W_');
    expect((await roster(['validate'], { cwd: dir, env: {} })).code).toBe(0);
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir, env: READ });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(
      'provider books has only read-only credentials (credentials.read): apply needs write credentials',
    );
    expect(apply.stderr).not.toMatch(/\n\s+at /);
  });
});
