#!/usr/bin/env node
// `pnpm bench`: what a plan and an apply cost at scale, measured, printed as one table and written
// to docs/benchmarks.md.
//
// - Zero-change plan of 1,000 / 10,000 / 50,000 Sage Intacct web services users against the
//   simulator served by `roster sandbox serve` in its own process, with 100 ms added to every
//   request: wall time, API calls (roster's count, checked against the simulator's), peak RSS.
// - The same plan with `--refresh-mode per-object --refresh-concurrency 10` (every object read by
//   id, 10 at a time: how Terraform refreshes), against the same simulator in the same run.
// - The floor: the query pages the bulk read needs at the largest page size (4,000), × latency.
// - An apply of 1,000 creates at 100 ms latency; the apply that seeds each size (no latency).
// - Pure CPU (scripts/bench-cpu.js, no network): load + diff + plan of 10,000 and 100,000 resources.
// - Fleet drift: scripts/bench-fleet.js, run next (its section of docs/benchmarks.md is kept here).
//
// Environment: BENCH_SIZES (default 1000,10000,50000), BENCH_CPU_SIZES (10000,100000),
// BENCH_LATENCY_MS (100), BENCH_APPLY_CREATES (1000), BENCH_PER_OBJECT_SIZES (default: BENCH_SIZES).
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'packages/cli/bin/roster.js');
const list = (name, fallback) => (process.env[name] ?? fallback).split(',').filter(Boolean).map(Number);
const sizes = list('BENCH_SIZES', '1000,10000,50000');
const cpuSizes = list('BENCH_CPU_SIZES', '10000,100000');
const perObjectSizes = new Set(list('BENCH_PER_OBJECT_SIZES', sizes.join(',')));
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 100);
const applyCreates = Number(process.env.BENCH_APPLY_CREATES ?? 1000);
const PAGE_SIZE = 4000;
const PER_OBJECT_CONCURRENCY = 10;
const haveTime = existsSync('/usr/bin/time');
const scratch = mkdtempSync(path.join(tmpdir(), 'roster-bench-'));
const log = (s) => process.stderr.write(`bench: ${s}\n`);

function env(extra = {}) {
  const e = { ...process.env, NO_COLOR: '1', ...extra };
  for (const k of Object.keys(e)) if (k.startsWith('ROSTER_SANDBOX_') && !(k in extra)) delete e[k];
  return e;
}

/** Run a node script; wall time in ms and, with GNU time, peak RSS in MiB. */
function run(script, args, cwd) {
  return new Promise((resolve, reject) => {
    const timeFile = path.join(cwd, '.time');
    const cmd = haveTime ? '/usr/bin/time' : process.execPath;
    const argv = haveTime
      ? ['-f', '%M', '-o', timeFile, process.execPath, script, ...args]
      : [script, ...args];
    const started = performance.now();
    execFile(cmd, argv, { cwd, env: env(), maxBuffer: 1024 * 1024 * 1024 }, (error, stdout, stderr) => {
      const ms = performance.now() - started;
      if (error && error.code !== 2)
        return reject(
          new Error(
            `${path.basename(script)} ${args.join(' ')} failed (${error.code}): ${stderr.slice(-2000)}`,
          ),
        );
      const rssMiB = haveTime
        ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024
        : undefined;
      resolve({ ms, rssMiB, stdout, stderr });
    });
  });
}
const roster = (args, cwd) => run(bin, args, cwd);

/** `roster sandbox serve` in its own process, so roster's time and memory are its own. */
function serve(cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'sandbox', 'serve', '--provider', 'bench', '--port', '0'], {
      cwd,
      env: env(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.startsWith('http'));
      if (!line) return;
      const url = line.trim().replace(/\/$/, '');
      // The console's per-run secret, written (0600) before the URL is printed.
      const token = readFileSync(
        path.join(cwd, '.roster', 'sandbox', 'bench', 'console-token'),
        'utf8',
      ).trim();
      const admin = async (route, body) => {
        const r = await fetch(`${url}/__sandbox${route}`, {
          method: body ? 'POST' : 'GET',
          headers: { 'content-type': 'application/json', 'x-roster-sandbox-token': token },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        if (!r.ok) throw new Error(`sandbox ${route}: ${r.status} ${await r.text()}`);
        return r.json();
      };
      resolve({
        url,
        setLatency: (ms) => admin('/faults', { latencyMs: ms }),
        requests: async () => (await admin('/stats')).apiRequests,
        counts: async () => (await admin('/state')).counts,
        stop: () =>
          new Promise((r) => {
            child.once('exit', r);
            child.kill('SIGTERM');
          }),
      });
    });
    child.on('exit', (code) => reject(new Error(`sandbox serve exited ${code}`)));
  });
}

/** A directory with the provider and role, and users in files of 1,000 documents. */
function writeProject(dir, n, endpoint) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'provider.yaml'),
    `apiVersion: roster/v1
kind: Provider
metadata: { name: bench }
spec: { type: intacct, endpoint: ${endpoint}, companyId: bench-co }
---
apiVersion: roster/v1
kind: SecurityLevel
metadata: { name: reader, provider: bench }
spec: { name: Reader, description: Read GL, permissions: { generalLedger/accounts: [list, view] } }
`,
  );
  for (let f = 0; f * 1000 < n; f++) {
    const docs = [];
    for (let i = f * 1000; i < Math.min(n, (f + 1) * 1000); i++) {
      const id = `WS_BENCH_${String(i).padStart(6, '0')}`;
      docs.push(`apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: u${i}, provider: bench, labels: { owner: bench, purpose: bench } }
spec:
  id: ${id}
  userName: Bench ${i}
  email: ${id.toLowerCase()}@example.com
  contact: { firstName: Bench, lastName: U${i}, email: ${id.toLowerCase()}@example.com }
  userType: business
  adminPrivileges: off
  status: active
  roles: [{ ref: reader }]`);
    }
    writeFileSync(path.join(dir, `users-${String(f).padStart(3, '0')}.yaml`), `${docs.join('\n---\n')}\n`);
  }
}

/** A served sandbox and a project pointing at it. */
async function setUp(name, n) {
  const simDir = path.join(scratch, name, 'sim');
  mkdirSync(simDir, { recursive: true });
  writeFileSync(
    path.join(simDir, 'provider.yaml'),
    'apiVersion: roster/v1\nkind: Provider\nmetadata: { name: bench }\nspec: { type: intacct, endpoint: sandbox, companyId: bench-co }\n',
  );
  const sim = await serve(simDir);
  const projectDir = path.join(scratch, name, 'project');
  writeProject(projectDir, n, sim.url);
  return { sim, projectDir };
}

/**
 * Query pages the bulk read of the plan needs: the Intacct provider reads ServiceAccount with three
 * queries (user, role-user-map, user-group-member) and SecurityLevel with two (role,
 * role-permission-assignment); each is at least one page of up to 4,000 rows.
 */
function pagesFor(counts) {
  const tables = ['user', 'role-user-map', 'user-group-member', 'role', 'role-permission-assignment'];
  return tables.reduce((sum, t) => sum + Math.max(1, Math.ceil((counts[t] ?? 0) / PAGE_SIZE)), 0);
}

/** A plan against the served sandbox: wall time, peak RSS, roster's stats and the server's count. */
async function plan(setup, extraArgs) {
  const before = await setup.sim.requests();
  const r = await roster(['plan', '--format', 'json', '--detailed-exitcode', ...extraArgs], setup.projectDir);
  const served = (await setup.sim.requests()) - before;
  const doc = JSON.parse(r.stdout);
  if (doc.changes.length !== 0)
    throw new Error(`expected a zero-change plan, got ${doc.changes.length} changes`);
  if (doc.stats.apiCalls !== served)
    throw new Error(`roster counted ${doc.stats.apiCalls} API calls, the simulator served ${served}`);
  return {
    s: r.ms / 1000,
    rssMiB: r.rssMiB,
    calls: served,
    refreshMs: doc.stats.refreshMs,
    planMs: doc.stats.planMs,
  };
}

const rows = [];
const setups = new Map();
try {
  for (const n of sizes) {
    const setup = await setUp(`plan-${n}`, n);
    setups.set(n, setup);
    log(`applying ${n} users (no latency)…`);
    const seed = await roster(['apply', '--auto-approve'], setup.projectDir);
    await setup.sim.setLatency(latencyMs);
    const pages = pagesFor(await setup.sim.counts());
    log(`zero-change plan of ${n} users at ${latencyMs} ms latency…`);
    const bulk = await plan(setup, []);
    rows.push({ n, pages, bulk, seed: { s: seed.ms / 1000, rssMiB: seed.rssMiB } });
  }

  log(`apply of ${applyCreates} creates at ${latencyMs} ms latency…`);
  const creates = await setUp('apply', applyCreates);
  await creates.sim.setLatency(latencyMs);
  const applyRun = await roster(['apply', '--auto-approve'], creates.projectDir);
  const apply = {
    s: applyRun.ms / 1000,
    rssMiB: applyRun.rssMiB,
    calls: await creates.sim.requests(),
    done: /Apply complete! (\d+) created/.exec(applyRun.stdout)?.[1],
  };
  await creates.sim.stop();

  const cpu = [];
  for (const n of cpuSizes) {
    log(`pure CPU plan of ${n} resources…`);
    const r = await run(path.join(root, 'scripts/bench-cpu.js'), [String(n)], scratch);
    cpu.push({ ...JSON.parse(r.stdout.trim().split('\n').pop()), wallS: r.ms / 1000, rssMiB: r.rssMiB });
  }

  for (const row of rows) {
    if (!perObjectSizes.has(row.n)) continue;
    log(`the same plan of ${row.n} users per object, ${PER_OBJECT_CONCURRENCY} at a time…`);
    row.perObject = await plan(setups.get(row.n), [
      '--refresh-mode',
      'per-object',
      '--refresh-concurrency',
      String(PER_OBJECT_CONCURRENCY),
    ]);
  }

  writeReport(rows, apply, cpu);
} finally {
  for (const s of setups.values()) await s.sim.stop().catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
}

function writeReport(rows, apply, cpu) {
  const num = (v) => v.toLocaleString('en-US');
  const f = (v, d = 2) => (v === undefined ? 'n/a' : v.toFixed(d));
  const mark = (ok) => (ok ? 'met' : '**missed**');
  const planTable = [
    '| users | plan (s) | API calls | pages | floor: pages × latency (s) | peak RSS (MiB) | per-object plan (s) | per-object API calls | ratio | seeding apply, no latency (s) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${num(r.n)} | ${f(r.bulk.s)} | ${r.bulk.calls} | ${r.pages} | ${f((r.pages * latencyMs) / 1000)} | ${f(r.bulk.rssMiB, 0)} | ${r.perObject ? f(r.perObject.s, 1) : 'not run'} | ${r.perObject ? num(r.perObject.calls) : ''} | ${r.perObject ? `${f(r.perObject.s / r.bulk.s, 0)}×` : ''} | ${f(r.seed.s, 1)} |`,
    ),
  ].join('\n');
  const cpuTable = [
    '| resources | load manifests (s) | diff + plan (s) | total (s) | peak RSS (MiB) |',
    '|---:|---:|---:|---:|---:|',
    ...cpu.map(
      (c) =>
        `| ${num(c.resources)} | ${f(c.loadMs / 1000)} | ${f(c.planMs / 1000)} | ${f(c.totalMs / 1000)} | ${f(c.peakRssMiB ?? c.rssMiB, 0)} |`,
    ),
  ].join('\n');

  const targets = [];
  const r10k = rows.find((r) => r.n === 10000);
  if (r10k) {
    targets.push(
      `| zero-change plan of 10,000 at ${latencyMs} ms ≤ 3 s | ${f(r10k.bulk.s)} s | ${mark(r10k.bulk.s <= 3)} |`,
    );
    if (r10k.perObject)
      targets.push(
        `| ≥ 30× faster than per-object refresh | ${f(r10k.perObject.s / r10k.bulk.s, 0)}× | ${mark(r10k.perObject.s / r10k.bulk.s >= 30)} |`,
      );
  }
  for (const r of rows)
    targets.push(
      `| API calls ≤ pages + 5 (${num(r.n)}) | ${r.bulk.calls} ≤ ${r.pages + 5} | ${mark(r.bulk.calls <= r.pages + 5)} |`,
    );
  const c100k = cpu.find((c) => c.resources === 100000);
  const c10k = cpu.find((c) => c.resources === 10000);
  if (c100k) {
    targets.push(
      `| CPU diff + plan of 100,000 ≤ 5 s | ${f(c100k.planMs / 1000)} s | ${mark(c100k.planMs <= 5000)} |`,
    );
    targets.push(
      `| CPU plan of 100,000: peak RSS ≤ 1 GB | ${f(c100k.peakRssMiB ?? c100k.rssMiB, 0)} MiB | ${mark((c100k.peakRssMiB ?? c100k.rssMiB) <= 1024)} |`,
    );
  }
  if (c100k && c10k) {
    const t = c100k.totalMs / c10k.totalMs;
    targets.push(
      `| linear: 10× resources ≤ 12× time (CPU, 10,000 → 100,000, load + plan) | ${f(t, 1)}× | ${mark(t <= 12)} |`,
    );
  }
  const r1k = rows.find((r) => r.n === 1000);
  if (r1k && r10k) {
    const t = r10k.bulk.s / r1k.bulk.s;
    targets.push(
      `| linear: 10× accounts ≤ 12× time (plan, 1,000 → 10,000) | ${f(t, 1)}× | ${mark(t <= 12)} |`,
    );
    const seed = r10k.seed.s / r1k.seed.s;
    targets.push(
      `| linear: 10× accounts ≤ 12× time (seeding apply, 1,000 → 10,000) | ${f(seed, 1)}× | ${mark(seed <= 12)} |`,
    );
  }
  const targetTable = ['| target | measured | |', '|---|---:|---|', ...targets].join('\n');
  const applyLine = `| ${num(applyCreates)} creates at ${latencyMs} ms | ${f(apply.s, 1)} s | ${apply.calls} API calls | ${f(apply.rssMiB, 0)} MiB peak RSS | ${apply.done ?? '?'} created |`;

  console.log(planTable);
  console.log();
  console.log(applyLine);
  console.log();
  console.log(cpuTable);
  console.log();
  console.log(targetTable);

  const md = `# Benchmarks

Written by \`pnpm bench\` (scripts/bench.js) on ${new Date().toISOString().slice(0, 10)}; ${cpus().length} cores,
${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Tests never assert on time; these
figures are measured, not enforced.

## Zero-change plan, bulk and per object

Sage Intacct web services users (each with one role), all applied, planned against the Intacct
simulator served by \`roster sandbox serve\` in another process with ${latencyMs} ms added to every
request. roster reads each kind with the query service (\`POST /services/core/query\`, pages of
4,000; after the first page the rest are fetched 4 at a time), so its API calls follow the pages,
not the accounts. **API calls** are counted by the simulator and must equal the plan's
\`stats.apiCalls\` (the bench fails otherwise). **Pages** are the pages those queries need at
4,000 rows (users, role assignments, group memberships, roles, role permissions); the **floor** is
pages × latency, what reading them one after the other costs. **Per-object** is the same plan with
\`--refresh-mode per-object --refresh-concurrency ${PER_OBJECT_CONCURRENCY}\`: every object in state
read by id, ${PER_OBJECT_CONCURRENCY} at a time, as Terraform refreshes (an Intacct user is a GET
plus a query of its group memberships). Peak RSS is the \`roster plan\` process's (GNU time
\`%M\`). The last column is the first apply that creates the users, with no added latency.

${planTable}

## Apply

The first apply of ${num(applyCreates)} users (each with its role) against a fresh simulator at
${latencyMs} ms per request, with apply's default concurrency (operations in flight per
provider; the HTTP layer keeps each system within its own limit).

| apply | wall time | API calls (simulator's count) | peak RSS | result |
|---|---:|---:|---:|---|
${applyLine}

## Pure CPU

\`scripts/bench-cpu.js\`, no network: loading the manifests (YAML, schema validation, references),
then diff + plan (assemble, review, policies, JSON rendering) of Intacct resources against a state
and a refreshed snapshot that match them, so the plan is zero-change (checked).

${cpuTable}

## Targets (issue 8)

${targetTable}
`;
  mkdirSync(path.join(root, 'docs'), { recursive: true });
  // The fleet section is scripts/bench-fleet.js's (run next by `pnpm bench`): kept as it is.
  const file = path.join(root, 'docs/benchmarks.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const fleet = /^## Fleet drift\n[\s\S]*?(?=^## |(?![\s\S]))/m.exec(previous)?.[0];
  writeFileSync(file, fleet ? `${md.trimEnd()}\n\n${fleet.trimEnd()}\n` : md);
  log('wrote docs/benchmarks.md');
}
