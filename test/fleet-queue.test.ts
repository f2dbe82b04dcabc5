import { type ChildProcess, spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { record } from './e2e-record.js';
import { cliEnv, project, roster, rosterBin } from './helpers.js';
import { freshDatabase } from './support/postgres-database.js';

// The fleet job queue (pg-boss) in the PostgreSQL database of the fleet's state, on the real server
// the test setup starts: `roster fleet drift --queue` enqueues, `roster worker` processes run the
// jobs, `roster fleet status --run` reads them.

const server = inject('postgres');

const FLEET = 'apiVersion: roster/v1\nkind: Fleet\nmetadata: { name: queued }\nspec: { concurrency: 5 }\n';
const PROVIDER = `apiVersion: roster/v1
kind: Provider
metadata: { name: intacct }
spec: { type: intacct, endpoint: sandbox, companyId: "\${tenant.name}-co" }
`;
const USER = `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: billing, provider: intacct }
spec:
  id: WS_BILLING
  userName: Billing \${tenant.name}
  email: ws-billing@\${tenant.name}.example
  contact: { firstName: Billing, lastName: Sync, email: "ws-billing@\${tenant.name}.example" }
  userType: business
  adminPrivileges: off
  status: active
`;
const TENANTS = ['acme', 'globex', 'hooli', 'initech', 'umbrella'];

function fleet(): string {
  const files: Record<string, string> = {
    'fleet.yaml': FLEET,
    'baseline/provider.yaml': PROVIDER,
    'baseline/access.yaml': USER,
  };
  for (const name of TENANTS)
    files[`tenants/${name}/tenant.yaml`] =
      `apiVersion: roster/v1\nkind: Tenant\nmetadata: { name: ${name} }\nspec: {}\n`;
  return project(files);
}

const clients: pg.Client[] = [];
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.end()));
});

async function sql<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  clients.push(c);
  await c.connect();
  try {
    return (await c.query<R>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** A `roster worker` in the background, stdin open (the hold hook waits on it), stderr watched. */
function worker(args: string[], cwd: string, env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, [rosterBin, 'worker', ...args], {
    cwd,
    env: cliEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: Array<{ re: RegExp; resolve: (m: RegExpExecArray) => void }> = [];
  let nextOutput: Array<() => void> = [];
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const wake of nextOutput) wake();
    nextOutput = [];
    for (const w of [...watchers]) {
      const m = w.re.exec(stderr);
      if (m) w.resolve(m);
    }
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) =>
      child.on('close', (code, signal) => {
        record({ type: 'run', label: `roster worker ${args.join(' ')}`, cwd, env, stdout, stderr });
        resolve({ code, signal, stderr });
      }),
  );
  return {
    child,
    done,
    /** Resolves at the worker's next line on stderr. */
    output: () => new Promise<void>((resolve) => nextOutput.push(resolve)),
    said: (re: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const m = re.exec(stderr);
        if (m) return resolve(m);
        watchers.push({ re, resolve });
        void done.then((r) => reject(new Error(`worker exited ${r.code} before ${re}:\n${r.stderr}`)));
      }),
  };
}

/** Wait until every job of the run is completed (each worker's progress is in the database). */
async function runFinished(url: string, runId: string, workers: Array<ReturnType<typeof worker>>) {
  const exited = Promise.race(workers.map((w) => w.done.then((r) => r)));
  for (;;) {
    // Listening before looking: a line said while the query runs is not missed.
    const said = Promise.race(workers.map((w) => w.output()));
    const rows = await sql<{ open: string }>(
      url,
      `SELECT count(*) FILTER (WHERE state <> 'completed') AS open FROM roster_queue.job WHERE data->>'runId' = $1`,
      [runId],
    );
    if (rows[0]?.open === '0') return;
    // The next look when a worker says something (it says each job it finished after completing
    // it); a worker that exits fails the test.
    await Promise.race([
      said,
      exited.then((r) => {
        throw new Error(`a worker exited before the run finished:\n${r.stderr}`);
      }),
    ]);
  }
}

describe.skipIf(!server.available)('the fleet job queue', () => {
  it('refuses --queue on a local backend, with a clear message', async () => {
    const dir = fleet();
    const r = await roster(['fleet', 'drift', '-f', dir, '--queue'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the fleet queue lives in the PostgreSQL database of the fleet state');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('roster fleet plan --queue enqueues plan jobs of the selected tenants; status --run reads them', async () => {
    const url = await freshDatabase(server, 'fq');
    const env = { ROSTER_BACKEND: url };
    const dir = fleet();
    const r = await roster(
      ['fleet', 'plan', '-f', dir, '--queue', '--tenants', 'acme,hooli', '--format', 'json'],
      {
        cwd: dir,
        env,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { command: string; runId: string; jobs: number };
    expect([doc.command, doc.jobs]).toEqual(['plan', 2]);
    const status = await roster(['fleet', 'status', '-f', dir, '--run', doc.runId], { cwd: dir, env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toBe(
      `Run ${doc.runId}: 2 jobs (2 queued).\nTENANT  JOB     ATTEMPTS  LAST ERROR\nacme    queued  0\nhooli   queued  0\n`,
    );
    const unknown = await roster(['fleet', 'status', '-f', dir, '--run', 'nope'], { cwd: dir, env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no queued run nope in fleet queued');
  });

  it('three workers on one queue, one killed mid-job: every tenant finishes exactly once, never twice at once', async () => {
    const url = await freshDatabase(server, 'fq');
    const env = { ROSTER_BACKEND: url };
    const dir = fleet();
    const applied = await roster(['fleet', 'apply', '-f', dir, '--auto-approve'], { cwd: dir, env });
    expect(applied.code, applied.stderr).toBe(0);

    const queued = await roster(['fleet', 'drift', '-f', dir, '--queue'], { cwd: dir, env });
    expect(queued.code, queued.stderr).toBe(0);
    const runId = queued.stdout.trim();
    expect(runId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(queued.stderr).toContain(`Queued 5 drift jobs`);
    expect(queued.stderr).not.toContain(url.split('@')[0]);

    // A second run of the same tenants, queued at once: its jobs of a tenant never overlap the first's.
    const second = await roster(['fleet', 'drift', '-f', dir, '--queue', '--tenants', 'acme,globex'], {
      cwd: dir,
      env,
    });
    expect(second.code, second.stderr).toBe(0);
    const runId2 = second.stdout.trim();

    const before = await roster(['fleet', 'status', '-f', dir, '--run', runId], { cwd: dir, env });
    expect(before.stdout).toContain(`Run ${runId}: 5 jobs (5 queued).`);

    // Worker A claims a job and holds it (the test hook); B and C start; A is killed mid-job.
    const a = worker(['-f', dir, '--concurrency', '1'], dir, { ...env, ROSTER_TEST_WORKER_HOLD: '1' });
    const held = (await a.said(/worker: holding (\w+)/))[1]!;
    const running = await roster(['fleet', 'status', '-f', dir, '--run', runId], { cwd: dir, env });
    expect(running.stdout).toMatch(new RegExp(`${held}\\s+running\\s+1`));
    const b = worker(['-f', dir, '--concurrency', '2'], dir, env);
    const c = worker(['-f', dir, '--concurrency', '2'], dir, env);
    a.child.kill('SIGKILL');
    const killed = await a.done;
    expect(killed.signal).toBe('SIGKILL');
    const killedAt = new Date();

    await runFinished(url, runId, [b, c]);
    await runFinished(url, runId2, [b, c]);
    b.child.kill('SIGTERM');
    c.child.kill('SIGTERM');
    const [bDone, cDone] = await Promise.all([b.done, c.done]);
    expect(bDone.code, bDone.stderr).toBe(0);
    expect(cDone.code, cDone.stderr).toBe(0);
    expect(`${bDone.stderr}${cDone.stderr}`).toContain(
      `worker: retrying ${held}: the worker that ran it is gone`,
    );

    // Exactly one recorded result per tenant, by B or C for the held one, started after A died.
    const results = await sql<{
      tenant: string;
      worker: string;
      started_at: Date;
      finished_at: Date;
      outcome: string;
    }>(
      url,
      `SELECT tenant, worker, started_at, finished_at, result->>'outcome' AS outcome
         FROM roster_fleet_job_results WHERE run_id = $1 ORDER BY tenant`,
      [runId],
    );
    expect(results.map((r) => r.tenant)).toEqual(TENANTS);
    expect(results.every((r) => r.outcome === 'ok')).toBe(true);
    const retried = results.find((r) => r.tenant === held)!;
    expect(retried.worker).not.toBe(`${a.child.pid}`);
    expect(retried.worker.endsWith(`:${a.child.pid}`)).toBe(false);
    expect(retried.started_at.getTime()).toBeGreaterThanOrEqual(killedAt.getTime() - 1000);
    // Runs of one tenant never overlap: each tenant's recorded intervals, over both runs, are disjoint.
    const all = await sql<{ tenant: string; started_at: Date; finished_at: Date }>(
      url,
      'SELECT tenant, started_at, finished_at FROM roster_fleet_job_results WHERE run_id IN ($1, $2) ORDER BY tenant, started_at',
      [runId, runId2],
    );
    expect(all.length).toBe(TENANTS.length + 2);
    for (let i = 1; i < all.length; i++) {
      const [prev, cur] = [all[i - 1]!, all[i]!];
      if (prev.tenant === cur.tenant)
        expect(cur.started_at.getTime()).toBeGreaterThanOrEqual(prev.finished_at.getTime());
    }

    const after = await roster(['fleet', 'status', '-f', dir, '--run', runId, '--format', 'json'], {
      cwd: dir,
      env,
    });
    expect(after.code, after.stderr).toBe(0);
    const doc = JSON.parse(after.stdout) as {
      jobs: Array<{ tenant: string; state: string; attempts: number }>;
      tenants: Array<{ tenant: string; outcome: string }>;
    };
    expect(doc.jobs.map((j) => [j.tenant, j.state, j.attempts])).toEqual(
      TENANTS.map((t) => [t, 'completed', t === held ? 2 : 1]),
    );
    expect(doc.tenants.map((t) => t.tenant)).toEqual(TENANTS);
    // Plain `roster fleet status` reads each tenant's latest result: the queued drift's.
    const plain = await roster(['fleet', 'status', '-f', dir, '--format', 'json'], { cwd: dir, env });
    const latest = JSON.parse(plain.stdout) as { tenants: Array<{ tenant: string; command: string }> };
    expect(latest.tenants.map((t) => `${t.tenant}:${t.command}`)).toEqual(TENANTS.map((t) => `${t}:drift`));
  });
});
