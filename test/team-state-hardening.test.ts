import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { record } from './e2e-record.js';
import {
  cliEnv,
  copyExample,
  intacctProviderYaml,
  project,
  type RunResult,
  roster,
  rosterBin,
  serveSandbox,
} from './helpers.js';
import { freshDatabase as createDatabase } from './support/postgres-database.js';

// Issue 16, items 3 and 9: the team state backend as pipelines on several machines use it, through
// the built CLI, against the throwaway PostgreSQL of the test setup (test/setup/postgres.ts).

const server = inject('postgres');
const freshDatabase = () => createDatabase(server, 'hard');

async function sql<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(text)).rows;
  } finally {
    await c.end();
  }
}

/** Run the CLI and say whether it was killed (the kill hook SIGKILLs the process itself). */
function run(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<RunResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [rosterBin, ...args], {
      cwd,
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code, signal) => {
      record({ type: 'run', label: `roster ${args.join(' ')}`, cwd, env, stdout, stderr });
      resolve({ code: code ?? 128, signal, stdout, stderr });
    });
  });
}

const CREDENTIALS = { W_CID: 'hard-cid-7f21c0', W_CS: 'hard-secret-Zp4qK9', W_UID: 'ws-roster-hard-31' };

const provider = (endpoint: string) => intacctProviderYaml({ endpoint, envPrefix: 'W' });

const BACKEND = `apiVersion: roster/v1
kind: Backend
metadata: { name: team }
spec:
  type: postgres
  credentials: { url: "\${env:ROSTER_STATE_URL}" }
`;

const USERS = 30;
const accounts = Array.from({ length: USERS }, (_, i) => {
  const id = `WS_HARD_${String(i).padStart(2, '0')}`;
  const email = `${id.toLowerCase()}@example.com`;
  return `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: u${i}, provider: books }
spec:
  id: ${id}
  email: ${email}
  contact: { firstName: Hard, lastName: U${i}, email: ${email} }
  status: active
`;
}).join('---\n');

/** A checkout of the project: manifests only, no .roster/ (as on every CI runner). */
const checkout = (endpoint: string) =>
  project({ 'provider.yaml': provider(endpoint), 'backend.yaml': BACKEND, 'accounts.yaml': accounts });

describe.skipIf(!server.available)(
  'a PostgreSQL journal reconciled from a fresh checkout (issue 16, item 3)',
  () => {
    it('plan warns and apply reconciles on a second checkout without .roster/, converging to exactly the declared users', async () => {
      const url = await freshDatabase();
      // The company's system, served on this machine: both checkouts talk to it, as CI runners would.
      const served = project({ 'p.yaml': provider('sandbox') });
      const sandbox = await serveSandbox(served, 'books', [], CREDENTIALS);
      try {
        const env = { ...CREDENTIALS, ROSTER_STATE_URL: url };
        const first = checkout(sandbox.url);
        // Killed after its 20th call returned, before that outcome was journaled.
        const killed = await run(['apply', '--auto-approve'], first, {
          ...env,
          ROSTER_TEST_KILL_AFTER_OPS: '20:call',
        });
        expect(killed.signal, killed.stderr).toBe('SIGKILL');
        const journal = await sql<{ entry: { phase: string } }>(url, 'SELECT entry FROM roster_journal');
        expect(journal.filter((r) => r.entry.phase === 'intent').length).toBeGreaterThanOrEqual(20);
        // The journal is the database's: the killed run wrote no local copy.
        expect(existsSync(path.join(first, '.roster/journal'))).toBe(false);

        const second = checkout(sandbox.url);
        expect(existsSync(path.join(second, '.roster'))).toBe(false);
        const plan = await run(['plan', '--allow-empty-state'], second, env);
        expect(plan.code, plan.stderr).toBe(0);
        expect(plan.stderr).toMatch(
          /an earlier apply stopped with \d+ operations? unfinished \(books\/ServiceAccount\/u\d+.*roster apply will reconcile them from roster_journal of postgres:\/\/roster@127\.0\.0\.1:\d+\/hard_\w+ \(workspace default\)/,
        );

        const apply = await run(['apply', '--auto-approve'], second, env);
        expect(apply.code, `${apply.stdout}\n${apply.stderr}`).toBe(0);
        expect(apply.stderr).toContain('An earlier apply stopped before it finished; reconciled its journal');
        expect(apply.stderr).toMatch(/reconciled books\/ServiceAccount\/u\d+: the create reached the system/);
        expect(apply.stderr).not.toContain('ENOENT');
        expect(await sql(url, 'SELECT entry FROM roster_journal')).toEqual([]);
        // What it made of .roster/ (its audit log) is private; it wrote no local journal.
        expect(existsSync(path.join(second, '.roster/journal'))).toBe(false);

        const again = await run(['plan', '--detailed-exitcode'], second, env);
        expect(again.code, again.stdout + again.stderr).toBe(0);
        expect(again.stderr).not.toContain('unfinished');

        // The system holds exactly the declared users, once each; state names each of them.
        const state = (await (
          await fetch(`${sandbox.url}/__sandbox/state`, { headers: sandbox.headers })
        ).json()) as {
          tables: { user: Array<{ id: string; key: string }> };
        };
        const users = state.tables.user.filter((u) => u.id.startsWith('WS_HARD_')).map((u) => u.id);
        expect(users.sort()).toEqual(
          Array.from({ length: USERS }, (_, i) => `WS_HARD_${String(i).padStart(2, '0')}`),
        );
        const [row] = await sql<{ document: { resources: Record<string, { id: string }> } }>(
          url,
          "SELECT document FROM roster_state WHERE workspace = 'default'",
        );
        expect(Object.keys(row!.document.resources)).toHaveLength(USERS);
        const adopted = apply.stderr
          .split('\n')
          .filter((l) => /reconciled .*: the create reached the system/.test(l));
        console.log(
          `fresh-checkout reconcile: ${journal.length} entries in roster_journal after the kill (${journal.filter((r) => r.entry.phase === 'intent').length} intents), plan warned, ${adopted.length} adopted on the second checkout, ${users.length} users in the system, 0 duplicates`,
        );
      } finally {
        await sandbox.stop();
      }
    });
  },
);

describe.skipIf(!server.available)(
  'state commands read the kind: Backend document (issue 16, item 9)',
  () => {
    it('state list|show|rm and force-unlock use the database the Backend document names; an unreachable one is exit 1, never an empty list', async () => {
      const url = await freshDatabase();
      const dir = copyExample('quickstart');
      writeFileSync(path.join(dir, 'backend.yaml'), BACKEND);
      const env = { ROSTER_STATE_URL: url };
      const apply = await roster(['apply', '--auto-approve'], { cwd: dir, env });
      expect(apply.code, apply.stderr).toBe(0);
      expect(existsSync(path.join(dir, '.roster/state.json'))).toBe(false);
      const stateRow = async () =>
        (
          await sql<{ document: { resources: Record<string, { id: string }> } }>(
            url,
            "SELECT document FROM roster_state WHERE workspace = 'default'",
          )
        )[0]!.document.resources;
      const stored = Object.keys(await stateRow()).sort();
      expect(stored).toHaveLength(5);

      const list = await roster(['state', 'list'], { cwd: dir, env });
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout.trim().split('\n').sort()).toEqual(stored);
      const address = 'intacct-sandbox/ServiceAccount/invoice-portal';
      const show = await roster(['state', 'show', address], { cwd: dir, env });
      expect(show.code, show.stderr).toBe(0);
      expect(JSON.parse(show.stdout)).toMatchObject({ address, id: (await stateRow())[address]!.id });
      // -f from elsewhere finds the project's Backend document too.
      const elsewhere = await roster(['state', 'list', '-f', dir], { cwd: path.dirname(dir), env });
      expect(elsewhere.stdout.trim().split('\n').sort()).toEqual(stored);

      const rm = await roster(['state', 'rm', address], { cwd: dir, env });
      expect(rm.code, rm.stderr).toBe(0);
      expect(Object.keys(await stateRow())).not.toContain(address);
      expect(existsSync(path.join(dir, '.roster/state.json'))).toBe(false);

      // The database named by the Backend document cannot be reached: exit 1 naming it, no list.
      const gone = { ROSTER_STATE_URL: 'postgres://roster:pw@127.0.0.1:1/nowhere' };
      for (const args of [
        ['state', 'list'],
        ['state', 'show', address],
        ['force-unlock', 'some-lock'],
      ]) {
        const r = await roster(args, { cwd: dir, env: gone });
        expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(
          'postgres://roster@127.0.0.1:1/nowhere (workspace default): could not connect',
        );
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
      // Its URL variable unset: exit 1 at the Backend document's line, not the local state.
      const unset = await roster(['state', 'list'], { cwd: dir, env: {} });
      expect(unset.code).toBe(1);
      expect(unset.stderr).toMatch(
        /backend\.yaml:6:\d+: error\[manifest\.env-unset\]: environment variable ROSTER_STATE_URL is not set/,
      );
      // validate never touches state: the URL is not needed there (a fork's pull request has none).
      const validate = await roster(['validate'], { cwd: dir, env: {} });
      expect(validate.stderr).not.toContain('ROSTER_STATE_URL');
      expect(validate.code, validate.stderr).toBe(0);
    });
  },
);
