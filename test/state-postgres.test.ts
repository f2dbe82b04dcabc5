import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  cliEnv,
  copyExample,
  intacctProviderYaml,
  project,
  type RunResult,
  readJson,
  roster,
  rosterBin,
  serveSandbox,
} from './helpers.js';
import { background } from './support/background-run.js';
import { freshDatabase as createDatabase } from './support/postgres-database.js';
import { startRequestGate } from './support/request-gate.js';

// The team state backend on the real PostgreSQL server the test setup starts (test/setup/postgres.ts),
// driven through the built CLI like a team's pipelines would.

const server = inject('postgres');
const admins: pg.Client[] = [];

const freshDatabase = () => createDatabase(server, 'e2e');

async function sql<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  admins.push(c);
  await c.connect();
  try {
    return (await c.query<R>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Start `roster` in the background (for runs another test step interrupts). */
function start(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<RunResult> } {
  const child = spawn(process.execPath, [rosterBin, ...args], {
    cwd,
    env: cliEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<RunResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr })),
  );
  return { child, done };
}

/** Wait until a run holds the workspace's lock (its holder row, with a live session). */
async function lockHeld(url: string, workspace: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = await sql(url, `SELECT 1 FROM pg_tables WHERE tablename = 'roster_lock_holders'`);
    if (rows.length > 0) {
      const held = await sql(
        url,
        'SELECT 1 FROM roster_lock_holders h WHERE workspace = $1 AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = h.backend_pid)',
        [workspace],
      );
      if (held.length > 0) return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no run took the lock');
}

async function stateRow(
  url: string,
  workspace = 'default',
): Promise<{ serial: string; lineage: string; document: { resources: object } } | undefined> {
  return (
    await sql<{ serial: string; lineage: string; document: { resources: object } }>(
      url,
      'SELECT serial, lineage, document FROM roster_state WHERE workspace = $1',
      [workspace],
    )
  )[0];
}

const SLOW = { ROSTER_SANDBOX_LATENCY_MS: '150' };

const GATED_CREDENTIALS = { PG_CID: 'pg-cid-80a4', PG_CS: 'pg-secret-Mv27wq', PG_UID: 'ws-roster-pg-4' };

/** The quickstart's Provider with credentials, served at `endpoint` (a gate in front of a served sandbox). */
const gatedProvider = (endpoint: string) =>
  intacctProviderYaml({ name: 'intacct-sandbox', endpoint, envPrefix: 'PG' });

afterAll(async () => {
  await Promise.all(admins.map((c) => c.end().catch(() => undefined)));
});

describe.skipIf(!server.available)('state on PostgreSQL', () => {
  it('keeps state in the database (ROSTER_BACKEND), not in .roster/state.json, and never prints the password', async () => {
    const url = await freshDatabase();
    const dir = copyExample('quickstart');
    const env = { ROSTER_BACKEND: url };
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir, env });
    expect(apply.code, apply.stderr).toBe(0);
    expect(existsSync(path.join(dir, '.roster/state.json'))).toBe(false);
    const row = await stateRow(url);
    expect(Number(row?.serial)).toBeGreaterThan(0);
    expect(Object.keys(row!.document.resources)).toHaveLength(5);
    const plan = await roster(['plan', '--detailed-exitcode', '-v'], { cwd: dir, env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout + plan.stderr + apply.stdout + apply.stderr).not.toContain(
      server.available ? server.password : '',
    );
    // The audit log goes to the database too.
    const audit = await sql(url, 'SELECT entry FROM roster_audit WHERE workspace = $1', ['default']);
    expect(audit.length).toBeGreaterThan(0);
  });

  it('two applies at once on one workspace: the second fails at once naming the holder, or waits with --lock-timeout', async () => {
    const url = await freshDatabase();
    // The first apply is stopped at its first request by a gate the test opens (no latency to hope
    // is long enough): it provably still holds the lock while the others try it.
    const served = project({ 'p.yaml': gatedProvider('sandbox') });
    const sandbox = await serveSandbox(served, 'intacct-sandbox', [], GATED_CREDENTIALS);
    const gate = await startRequestGate(sandbox.url);
    try {
      const dir = copyExample('quickstart');
      writeFileSync(path.join(dir, 'provider.yaml'), gatedProvider(gate.url));
      const env = { ROSTER_BACKEND: url, ...GATED_CREDENTIALS };
      const first = background(['apply', '--auto-approve'], dir, env);
      await first.until(gate.held);
      await lockHeld(url, 'default');
      const second = await roster(['apply', '--auto-approve'], { cwd: dir, env });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        /state is locked by pid \d+ on host .* running apply\); lock id [0-9a-f-]+ \(postgres:\/\/roster@127\.0\.0\.1:\d+\/e2e_\w+ \(workspace default\)\)/,
      );
      expect(second.stderr).not.toMatch(/\n\s+at /);
      // With --lock-timeout a second apply waits for the first (the gate opens once it says it
      // waits), then finds nothing left to do.
      const waiting = background(['apply', '--auto-approve', '--lock-timeout', '60s'], dir, env);
      await waiting.said(
        /waiting up to 60\.0 s for the state lock \(--lock-timeout\): held by lock [0-9a-f-]+ of pid \d+/,
      );
      gate.open();
      const firstDone = await first.done;
      expect(firstDone.code, firstDone.stderr).toBe(0);
      const waited = await waiting.done;
      expect(waited.code, waited.stderr).toBe(0);
      expect(waited.stdout).toContain('No changes');
      expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir, env })).code).toBe(0);
    } finally {
      await gate.close();
      await sandbox.stop();
    }
  });

  it('a killed apply: PostgreSQL releases its lock with the session; the state is consistent and the next apply converges', async () => {
    const url = await freshDatabase();
    const dir = copyExample('quickstart');
    const env = { ROSTER_BACKEND: url, ...SLOW };
    const run = start(['apply', '--auto-approve'], dir, env);
    await lockHeld(url, 'default');
    await new Promise((r) => setTimeout(r, 400));
    run.child.kill('SIGKILL');
    await run.done;
    const after = await stateRow(url);
    if (after) expect(typeof after.document.resources).toBe('object');
    // No force-unlock needed: the lock died with the session.
    const again = await roster(['apply', '--auto-approve'], { cwd: dir, env: { ROSTER_BACKEND: url } });
    expect(again.code, again.stderr).toBe(0);
    expect(
      (await roster(['plan', '--detailed-exitcode'], { cwd: dir, env: { ROSTER_BACKEND: url } })).code,
    ).toBe(0);
  });

  it('a lost connection mid-apply: one clear message or a recovered run, never a forked or broken state', async () => {
    const url = await freshDatabase();
    const dir = copyExample('quickstart');
    const env = { ROSTER_BACKEND: url, ...SLOW };
    const run = start(['apply', '--auto-approve'], dir, env);
    await lockHeld(url, 'default');
    await new Promise((r) => setTimeout(r, 300));
    await sql(
      url,
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'roster%' AND datname = current_database()",
    );
    const r = await run.done;
    expect([0, 1]).toContain(r.code);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    if (r.code === 1)
      expect(r.stderr).toMatch(/state database postgres:\/\/roster@|lost the state database session/);
    const serialBefore = Number((await stateRow(url))?.serial ?? 0);
    const again = await roster(['apply', '--auto-approve'], { cwd: dir, env: { ROSTER_BACKEND: url } });
    expect(again.code, again.stderr).toBe(0);
    expect(Number((await stateRow(url))?.serial)).toBeGreaterThanOrEqual(serialBefore);
    expect(
      (await roster(['plan', '--detailed-exitcode'], { cwd: dir, env: { ROSTER_BACKEND: url } })).code,
    ).toBe(0);
  });

  it('two workspaces at once: each its own state and lock (a kind: Backend document names the database)', async () => {
    const url = await freshDatabase();
    const backendDoc = (workspace: string) =>
      `apiVersion: roster/v1\nkind: Backend\nmetadata: { name: team }\nspec:\n  type: postgres\n  workspace: ${workspace}\n  credentials: { url: "\${env:TEAM_STATE_URL}" }\n`;
    const [a, b] = [copyExample('quickstart'), copyExample('quickstart')];
    writeFileSync(path.join(a, 'backend.yaml'), backendDoc('staging'));
    writeFileSync(path.join(b, 'backend.yaml'), backendDoc('prod'));
    const env = { TEAM_STATE_URL: url, ...SLOW };
    // A workspace is created explicitly: selecting one that does not exist is an error.
    const missing = await roster(['apply', '--auto-approve'], { cwd: a, env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('workspace staging does not exist');
    for (const [dir, name] of [
      [a, 'staging'],
      [b, 'prod'],
    ] as const) {
      const created = await roster(['workspace', 'new', name], { cwd: dir, env });
      expect(created.code, created.stderr).toBe(0);
    }
    const [ra, rb] = await Promise.all([
      roster(['apply', '--auto-approve'], { cwd: a, env }),
      roster(['apply', '--auto-approve'], { cwd: b, env }),
    ]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const [sa, sb] = [await stateRow(url, 'staging'), await stateRow(url, 'prod')];
    expect(sa?.lineage).not.toBe(sb?.lineage);
    expect(Object.keys(sa!.document.resources)).toHaveLength(5);
    // --workspace (or ROSTER_WORKSPACE) picks another workspace of the same database.
    const list = await roster(['state', 'list', '--workspace', 'prod', '--backend', url], { cwd: a });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(5);
  });

  it('migrates a local state to PostgreSQL and back, refusing a target of another lineage', async () => {
    const url = await freshDatabase();
    const dir = copyExample('quickstart');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const up = await roster(['state', 'migrate', '--to', url, '--to-workspace', 'main'], { cwd: dir });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(
      /Copied 5 resources of lineage [0-9a-f-]+ from .*state\.json to postgres:\/\/roster@127\.0\.0\.1:\d+\/e2e_\w+ \(workspace main\)/,
    );
    expect(up.stderr).not.toContain(server.available ? server.password : '');
    const env = { ROSTER_BACKEND: url, ROSTER_WORKSPACE: 'main' };
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir, env })).code).toBe(0);

    // Another project's state in that workspace is refused.
    const other = copyExample('quickstart');
    expect((await roster(['apply', '--auto-approve'], { cwd: other })).code).toBe(0);
    const refused = await roster(['state', 'migrate', '--to', url, '--to-workspace', 'main'], { cwd: other });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds state of another lineage/);

    // And back to a local state directory.
    const back = await roster(['state', 'migrate', '--to', 'local', '--state-dir', 'restored'], {
      cwd: dir,
      env,
    });
    expect(back.code, back.stderr).toBe(0);
    // The sandbox lives in the state directory too, so compare the states themselves.
    const original = readJson<{ lineage: string; resources: object }>(path.join(dir, '.roster/state.json'));
    const copy = readJson<{ lineage: string; resources: object }>(path.join(dir, 'restored/state.json'));
    expect(copy.lineage).toBe(original.lineage);
    expect(copy.resources).toEqual(original.resources);
  });
});

describe.skipIf(!server.available)('workspaces on PostgreSQL (issue 15: refuse to guess)', () => {
  it('an unknown ROSTER_WORKSPACE is exit 1 naming the existing ones; no row in default is no state', async () => {
    const url = await freshDatabase();
    const dir = copyExample('quickstart');
    const env = { ROSTER_BACKEND: url };
    // default has no row yet: drift and plan refuse to guess, apply starts it.
    const none = await roster(['drift'], { cwd: dir, env });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /^error\[state\.missing\]: no state at postgres:\/\/roster@127\.0\.0\.1:\d+\/e2e_\w+ \(workspace default\), but the manifests declare 5 resources/,
    );
    expect(none.stderr).not.toContain(server.available ? server.password : '');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir, env })).code).toBe(0);
    expect((await roster(['drift'], { cwd: dir, env })).code).toBe(0);

    const created = await roster(['workspace', 'new', 'prod'], { cwd: dir, env });
    expect(created.code, created.stderr).toBe(0);
    expect(Number((await stateRow(url, 'prod'))?.serial)).toBe(1);

    for (const args of [['drift'], ['plan'], ['apply', '--auto-approve']]) {
      const r = await roster(args, { cwd: dir, env: { ...env, ROSTER_WORKSPACE: 'prdo' } });
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr, args[0]).toMatch(
        /^error: workspace prdo does not exist in postgres:\/\/roster@127\.0\.0\.1:\d+\/e2e_\w+; existing workspaces: default, prod \(did you mean prod\?\); to create it: roster workspace new prdo$/m,
      );
    }
    expect(await stateRow(url, 'prdo')).toBeUndefined();
  });

  it('workspace list, new and delete (refusing default, the current one, and one holding resources unless --force)', async () => {
    const url = await freshDatabase();
    const dir = copyExample('quickstart');
    const env = { ROSTER_BACKEND: url };
    expect((await roster(['workspace', 'list'], { cwd: dir, env })).stdout).toBe('* default\n');
    for (const name of ['staging', 'prod'])
      expect((await roster(['workspace', 'new', name], { cwd: dir, env })).code).toBe(0);
    const dup = await roster(['workspace', 'new', 'prod'], { cwd: dir, env });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('workspace prod already exists');
    const staging = { ...env, ROSTER_WORKSPACE: 'staging' };
    expect((await roster(['workspace', 'list'], { cwd: dir, env: staging })).stdout).toBe(
      '  default\n  prod\n* staging\n',
    );
    // A new workspace is a real, empty state: a first plan there needs no flag.
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir, env: staging })).code).toBe(2);
    expect((await roster(['apply', '--auto-approve'], { cwd: dir, env: staging })).code).toBe(0);
    expect(Object.keys((await stateRow(url, 'staging'))!.document.resources)).toHaveLength(5);

    expect((await roster(['workspace', 'delete', 'default'], { cwd: dir, env })).code).toBe(1);
    const current = await roster(['workspace', 'delete', 'staging'], { cwd: dir, env: staging });
    expect(current.code).toBe(1);
    expect(current.stderr).toContain('workspace staging is the current workspace');
    const held = await roster(['workspace', 'delete', 'staging'], { cwd: dir, env });
    expect(held.code).toBe(1);
    expect(held.stderr).toContain('workspace staging still holds 5 resources');
    expect(await stateRow(url, 'staging')).toBeDefined();
    // Locked by another session (held here, the way a run holds it): refused, and nothing deleted.
    const holder = new pg.Client({ connectionString: url });
    admins.push(holder);
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock(hashtextextended('roster:' || $1, 0))", ['staging']);
    const locked = await roster(['workspace', 'delete', 'staging', '--force'], { cwd: dir, env });
    await holder.end();
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain('state is locked by');
    expect(await stateRow(url, 'staging')).toBeDefined();

    const forced = await roster(['workspace', 'delete', 'staging', '--force'], { cwd: dir, env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(await stateRow(url, 'staging')).toBeUndefined();
    expect((await roster(['workspace', 'delete', 'prod'], { cwd: dir, env })).code).toBe(0);
    expect((await roster(['workspace', 'list'], { cwd: dir, env })).stdout).toBe('* default\n');
    const gone = await roster(['state', 'list'], { cwd: dir, env: staging });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('workspace staging does not exist');
  });
});

describe.skipIf(!server.available)('the journal in the database', () => {
  it('a run on another machine reconciles what a killed run left unfinished', async () => {
    const url = await freshDatabase();
    const first = copyExample('quickstart');
    const env = { ROSTER_BACKEND: url };
    // Killed right after a create call returned, before its outcome was written.
    const killed = await roster(['apply', '--auto-approve'], {
      cwd: first,
      env: { ...env, ROSTER_TEST_KILL_AFTER_OPS: '3:call' },
    });
    expect(killed.code).not.toBe(0);
    const shared = await sql<{ entry: { phase: string } }>(url, 'SELECT entry FROM roster_journal');
    expect(shared.some((r) => r.entry.phase === 'intent')).toBe(true);
    // Another machine: the same systems (the sandbox) and the same database, no local journal.
    const second = copyExample('quickstart');
    cpSync(path.join(first, '.roster/sandbox'), path.join(second, '.roster/sandbox'), { recursive: true });
    const apply = await roster(['apply', '--auto-approve'], { cwd: second, env });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toContain('An earlier apply stopped before it finished; reconciled its journal');
    expect(await sql(url, 'SELECT entry FROM roster_journal')).toEqual([]);
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: second, env })).code).toBe(0);
  });
});
