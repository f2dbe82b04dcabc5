#!/usr/bin/env node
// `pnpm bench` (after scripts/bench.js): drift of a fleet of sandbox tenants at 100 ms latency, the
// same drift four ways side by side in one run, written as the "Fleet drift" section of
// docs/benchmarks.md:
// - one tenant: `roster fleet drift --tenants <one>` (the unit the targets compare with);
// - the whole fleet in one process: `roster fleet drift`;
// - queued: `roster fleet drift --queue`, then 1 and then 3 `roster worker --once` processes;
// - tenant by tenant: one `roster fleet drift --tenants <name>` process per tenant, one after the other.
// State is on PostgreSQL (a workspace per tenant; the queue needs it): BENCH_PG_URL, else a
// throwaway cluster (initdb/pg_ctl, as the tests start one).
//
// Environment: BENCH_FLEET_TENANTS (200), BENCH_FLEET_ACCOUNTS (25), BENCH_LATENCY_MS (100),
// BENCH_FLEET_CONCURRENCY (32: tenants at once per process), BENCH_PG_URL.
// For profiling and before/after comparisons (defaults: the full run above, which writes the docs):
// - BENCH_FLEET_ROWS: the rows to run, a comma list of one, fleet, queue, sequential (default all);
//   with fewer than all, the figures are printed and docs/benchmarks.md is left alone;
// - BENCH_FLEET_REPEAT (1): run the one-tenant and one-process rows this many times, alternating,
//   and report each row's median (every run is printed);
// - BENCH_FLEET_PROFILE_DIR: run the drift processes under `node --cpu-prof` into this directory
//   (summarise with scripts/cpu-profile-summary.js);
// - BENCH_FLEET_DIR: keep the fleet in this directory; when it already holds one (seeded by an
//   earlier run against the same BENCH_PG_URL), reuse it without seeding again.
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'packages/cli/bin/roster.js');
const tenants = Number(process.env.BENCH_FLEET_TENANTS ?? 200);
const accounts = Number(process.env.BENCH_FLEET_ACCOUNTS ?? 25);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 100);
const concurrency = Number(process.env.BENCH_FLEET_CONCURRENCY ?? 32);
const allRows = ['one', 'fleet', 'queue', 'sequential'];
const rows = (process.env.BENCH_FLEET_ROWS ?? allRows.join(',')).split(',').map((r) => r.trim());
for (const r of rows) if (!allRows.includes(r)) throw new Error(`BENCH_FLEET_ROWS: unknown row ${r}`);
const fullRun = allRows.every((r) => rows.includes(r));
const repeat = Math.max(1, Number(process.env.BENCH_FLEET_REPEAT ?? 1));
const profileDir = process.env.BENCH_FLEET_PROFILE_DIR
  ? path.resolve(process.env.BENCH_FLEET_PROFILE_DIR)
  : undefined;
const keptDir = process.env.BENCH_FLEET_DIR ? path.resolve(process.env.BENCH_FLEET_DIR) : undefined;
const scratch = mkdtempSync(path.join(tmpdir(), 'roster-bench-fleet-'));
const log = (s) => process.stderr.write(`bench-fleet: ${s}\n`);
const names = Array.from({ length: tenants }, (_, i) => `t${String(i).padStart(3, '0')}`);

function env(extra = {}) {
  const e = { ...process.env, NO_COLOR: '1', ...extra };
  for (const k of Object.keys(e)) if (k.startsWith('ROSTER_SANDBOX_') && !(k in extra)) delete e[k];
  return e;
}

/** Run roster; wall time in ms. Exit 2 (drift found) is not a failure. */
function roster(args, extraEnv, nodeArgs = []) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(
      process.execPath,
      [...nodeArgs, bin, ...args],
      { cwd: scratch, env: env(extraEnv), maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error && error.code !== 2)
          return reject(new Error(`roster ${args.join(' ')} failed (${error.code}): ${stderr.slice(-2000)}`));
        resolve({ ms: performance.now() - started, stdout, stderr });
      },
    );
  });
}

/** A throwaway cluster, as test/support/postgres-server.ts starts one (as `postgres` when root). */
async function startPostgres() {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  const libRoot = '/usr/lib/postgresql';
  const binDir = onPath
    ? path.dirname(onPath)
    : existsSync(libRoot)
      ? readdirSync(libRoot)
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => path.join(libRoot, v, 'bin'))
          .find((d) => existsSync(path.join(d, 'initdb')))
      : undefined;
  if (!binDir) throw new Error('PostgreSQL (initdb, pg_ctl) not found: install it or set BENCH_PG_URL');
  const asRoot = userInfo().uid === 0;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'roster-pg-'));
  const password = `pw-${Math.random().toString(36).slice(2, 12)}`;
  writeFileSync(path.join(dataDir, 'pwfile'), `${password}\n`, { mode: 0o600 });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
    chownSync(path.join(dataDir, 'pwfile'), uid, gid);
  }
  const run = (cmd, args) =>
    execFileSync(
      asRoot ? 'runuser' : path.join(binDir, cmd),
      asRoot ? ['-u', 'postgres', '--', path.join(binDir, cmd), ...args] : args,
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: dataDir,
      },
    );
  const cluster = path.join(dataDir, 'data');
  run('initdb', [
    '-D',
    cluster,
    '-U',
    'roster',
    `--pwfile=${path.join(dataDir, 'pwfile')}`,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  const port = await new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  run('pg_ctl', [
    '-D',
    cluster,
    '-w',
    '-l',
    path.join(dataDir, 'server.log'),
    '-o',
    `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400`,
    'start',
  ]);
  return {
    url: `postgres://roster:${password}@127.0.0.1:${port}/postgres`,
    stop: () => {
      run('pg_ctl', ['-D', cluster, '-m', 'immediate', '-w', 'stop']);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The fleet: a role and `accounts` web services users in the baseline, `tenants` tenants. */
function writeFleet(dir) {
  mkdirSync(path.join(dir, 'baseline'), { recursive: true });
  writeFileSync(
    path.join(dir, 'fleet.yaml'),
    `apiVersion: roster/v1\nkind: Fleet\nmetadata: { name: bench }\nspec: { concurrency: ${concurrency} }\n`,
  );
  const docs = [
    `apiVersion: roster/v1
kind: Provider
metadata: { name: intacct }
spec: { type: intacct, endpoint: sandbox, companyId: "\${tenant.name}-co" }`,
    `apiVersion: roster/v1
kind: SecurityLevel
metadata: { name: reader, provider: intacct }
spec: { name: Reader, permissions: { generalLedger/accounts: [list, view] } }`,
  ];
  for (let i = 0; i < accounts; i++) {
    const id = `WS_U${String(i).padStart(3, '0')}`;
    docs.push(`apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: u${i}, provider: intacct }
spec:
  id: ${id}
  userName: User ${i} \${tenant.name}
  email: ${id.toLowerCase()}@\${tenant.name}.example
  contact: { firstName: User, lastName: U${i}, email: "${id.toLowerCase()}@\${tenant.name}.example" }
  userType: business
  adminPrivileges: off
  status: active
  roles: [{ ref: reader }]`);
  }
  writeFileSync(path.join(dir, 'baseline', 'accounts.yaml'), `${docs.join('\n---\n')}\n`);
  for (const name of names) {
    mkdirSync(path.join(dir, 'tenants', name), { recursive: true });
    writeFileSync(
      path.join(dir, 'tenants', name, 'tenant.yaml'),
      `apiVersion: roster/v1\nkind: Tenant\nmetadata: { name: ${name} }\nspec: {}\n`,
    );
  }
}

/** Workers started together, each `--once`: wall time until the last exits. */
function workers(n, dir, url) {
  const started = performance.now();
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [bin, 'worker', '-f', dir, '--once', '--concurrency', String(concurrency)],
            {
              cwd: scratch,
              env: env({ ROSTER_BACKEND: url, ROSTER_SANDBOX_LATENCY_MS: String(latencyMs) }),
              stdio: ['ignore', 'ignore', 'pipe'],
            },
          );
          let stderr = '';
          child.stderr.on('data', (d) => {
            stderr += d;
          });
          child.on('close', (code) =>
            code === 0 ? resolve() : reject(new Error(`worker exited ${code}: ${stderr.slice(-2000)}`)),
          );
        }),
    ),
  ).then(() => performance.now() - started);
}

async function queued(n, dir, url, admin) {
  const q = await roster(['fleet', 'drift', '-f', dir, '--queue'], { ROSTER_BACKEND: url });
  const runId = q.stdout.trim();
  const ms = q.ms + (await workers(n, dir, url));
  const done = await admin.query(
    "SELECT count(DISTINCT tenant)::int AS n, count(*)::int AS rows FROM roster_fleet_job_results WHERE run_id = $1 AND result->>'outcome' = 'ok'",
    [runId],
  );
  if (done.rows[0].n !== tenants || done.rows[0].rows !== tenants)
    throw new Error(
      `queued run ${runId}: ${done.rows[0].rows} results for ${done.rows[0].n} of ${tenants} tenants`,
    );
  return ms;
}

const own = process.env.BENCH_PG_URL ? undefined : await startPostgres();
const url = process.env.BENCH_PG_URL ?? own.url;
const admin = new pg.Client({ connectionString: url });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
try {
  await admin.connect();
  const dir = keptDir ?? path.join(scratch, 'fleet');
  const seeded = keptDir !== undefined && existsSync(path.join(keptDir, 'fleet.yaml'));
  if (!seeded) writeFleet(dir);
  const loads = [loadavg()[0]];
  let seed = { ms: Number.NaN };
  if (seeded) log(`reusing the fleet in ${dir} (seeded before)`);
  else {
    log(`seeding ${tenants} tenants × ${accounts} accounts (fleet apply, no latency)…`);
    seed = await roster(['fleet', 'apply', '-f', dir, '--auto-approve'], { ROSTER_BACKEND: url });
  }
  let profiled = 0;
  const drift = (args) =>
    roster(
      ['fleet', 'drift', '-f', dir, ...args],
      {
        ROSTER_BACKEND: url,
        ROSTER_SANDBOX_LATENCY_MS: String(latencyMs),
      },
      profileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=drift-${++profiled}.cpuprofile`]
        : [],
    );
  const ones = [];
  const fleets = [];
  for (let i = 0; i < repeat && (rows.includes('one') || rows.includes('fleet')); i++) {
    if (rows.includes('one')) {
      log(`one tenant's drift at ${latencyMs} ms…`);
      ones.push((await drift(['--tenants', names[0]])).ms);
    }
    if (rows.includes('fleet')) {
      log(`${tenants} tenants in one process…`);
      fleets.push((await drift([])).ms);
    }
    if (repeat > 1)
      log(
        `run ${i + 1}: one ${ones.at(-1)?.toFixed(0) ?? '-'} ms, fleet ${fleets.at(-1)?.toFixed(0) ?? '-'} ms`,
      );
  }
  const one = median(ones);
  const fleetRun = { ms: median(fleets) };
  if (rows.includes('fleet')) {
    const driftJson = await drift(['--format', 'json', '--tenants', names[1]]);
    if (!/"outcome": "ok"/.test(driftJson.stdout))
      throw new Error(`drift of ${names[1]} is not ok: ${driftJson.stdout.slice(0, 500)}`);
  }
  let q1 = Number.NaN;
  let q3 = Number.NaN;
  if (rows.includes('queue')) {
    log('queued, 1 worker…');
    q1 = await queued(1, dir, url, admin);
    log('queued, 3 workers…');
    q3 = await queued(3, dir, url, admin);
  }
  let sequential = 0;
  if (rows.includes('sequential')) {
    log(`tenant by tenant, ${tenants} processes…`);
    for (const name of names) sequential += (await drift(['--tenants', name])).ms;
  }
  if (!fullRun) {
    const ms = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
    process.stdout.write(
      `${JSON.stringify({
        tenants,
        accounts,
        latencyMs,
        concurrency,
        oneMs: ones.length ? { runs: ms(ones), median: Math.round(one) } : undefined,
        fleetMs: fleets.length ? { runs: ms(fleets), median: Math.round(fleetRun.ms) } : undefined,
        ratio: ones.length && fleets.length ? Number((fleetRun.ms / one).toFixed(2)) : undefined,
        queue1Ms: rows.includes('queue') ? Math.round(q1) : undefined,
        queue3Ms: rows.includes('queue') ? Math.round(q3) : undefined,
        sequentialMs: rows.includes('sequential') ? Math.round(sequential) : undefined,
        seedMs: Number.isNaN(seed.ms) ? undefined : Math.round(seed.ms),
      })}\n`,
    );
    log('not every row ran (BENCH_FLEET_ROWS): docs/benchmarks.md left alone');
  } else {
    loads.push(loadavg()[0]);
    const s = (ms) => (ms / 1000).toFixed(1);
    const x = (a, b) => `${(a / b).toFixed(1)}×`;
    const mark = (ok) => (ok ? 'met' : '**not met**');
    const medianNote =
      repeat > 1
        ? ` The one-tenant and\none-process rows are medians of ${repeat} runs each, alternating.`
        : '';
    const section = `## Fleet drift

Written by \`pnpm bench\` (scripts/bench-fleet.js) on ${new Date().toISOString().slice(0, 10)}; ${cpus().length} cores,
${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, a machine shared with other jobs (1-minute load average ${loads.map((l) => l.toFixed(0)).join(' at the start, ')} at the end: figures vary between runs).
Drift of ${tenants} Intacct sandbox tenants × ${accounts} web services users (and a role), all applied,
state on PostgreSQL (a workspace per tenant), ${latencyMs} ms added to every sandbox request, the
same fleet four ways in one run. In one process and per worker, ${concurrency} tenants at once; the
queued rows run \`roster fleet drift --queue\` then the workers (\`--once\`) to the last exit, and
check that each tenant's result is recorded once. Tenant by tenant is one
\`roster fleet drift --tenants <name>\` process per tenant, one after the other.${medianNote}

| drift | wall time (s) | vs one tenant |
|---|---:|---:|
| one tenant (1 process) | ${s(one)} | 1× |
| ${tenants} tenants, one process | ${s(fleetRun.ms)} | ${x(fleetRun.ms, one)} |
| ${tenants} tenants, queue + 1 worker | ${s(q1)} | ${x(q1, one)} |
| ${tenants} tenants, queue + 3 workers | ${s(q3)} | ${x(q3, one)} |
| ${tenants} tenants, tenant by tenant (${tenants} processes) | ${s(sequential)} | ${x(sequential, one)} |

| target (issue 19) | measured | |
|---|---:|---|
| ${tenants}-tenant drift in one process within 10× of one tenant's | ${x(fleetRun.ms, one)} | ${mark(fleetRun.ms <= 10 * one)} |
| ≥ 10× faster than tenant-by-tenant processes | ${x(sequential, fleetRun.ms)} faster | ${mark(sequential >= 10 * fleetRun.ms)} |

${Number.isNaN(seed.ms) ? `The fleet was seeded by an earlier run (BENCH_FLEET_DIR).` : `The seeding apply (${tenants * (accounts + 1)} creates, no latency) took ${s(seed.ms)} s.`}
`;
    const file = path.join(root, 'docs/benchmarks.md');
    const md = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
    const at = md.indexOf('\n## Fleet drift\n');
    const rest = at < 0 ? '' : md.slice(at + 1).replace(/^## Fleet drift\n[\s\S]*?(?=^## |(?![\s\S]))/m, '');
    writeFileSync(
      file,
      `${(at < 0 ? md : md.slice(0, at + 1)).trimEnd()}\n\n${section}${rest ? `\n${rest}` : ''}`,
    );
    process.stdout.write(`${section}\n`);
    log('wrote the Fleet drift section of docs/benchmarks.md');
  }
} finally {
  await admin.end().catch(() => undefined);
  own?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
