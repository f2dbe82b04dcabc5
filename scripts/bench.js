#!/usr/bin/env node
// `pnpm bench`: measures a zero-change plan of 1,000 and 10,000 Sage Intacct web services users
// against the simulator with 100 ms of latency per request, plus the apply that creates them.
// The simulator runs in its own process (`roster sandbox serve`), so the plan's wall time and
// peak memory are roster's alone. Prints one table and writes docs/benchmarks.md.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'packages/cli/bin/roster.js');
const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 100);
const haveTime = existsSync('/usr/bin/time');

function env(extra = {}) {
  const e = { ...process.env, NO_COLOR: '1', ...extra };
  for (const k of Object.keys(e)) if (k.startsWith('ROSTER_SANDBOX_') && !(k in extra)) delete e[k];
  return e;
}

/** Run the CLI; wall time in ms and, with GNU time, peak RSS in MiB. */
function run(args, cwd, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const timeFile = path.join(cwd, '.time');
    const cmd = haveTime ? '/usr/bin/time' : process.execPath;
    const argv = haveTime ? ['-f', '%M', '-o', timeFile, process.execPath, bin, ...args] : [bin, ...args];
    const started = performance.now();
    execFile(
      cmd,
      argv,
      { cwd, env: env(extraEnv), maxBuffer: 1024 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const ms = performance.now() - started;
        if (error && error.code !== 2)
          return reject(new Error(`roster ${args.join(' ')} failed (${error.code}): ${stderr.slice(-2000)}`));
        const rssMiB = haveTime
          ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024
          : undefined;
        resolve({ ms, rssMiB, stdout, stderr, code: error ? error.code : 0 });
      },
    );
  });
}

function serve(cwd, extraArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'sandbox', 'serve', '--provider', 'bench', ...extraArgs], {
      cwd,
      env: env(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.startsWith('http'));
      if (line)
        resolve({
          url: line.trim(),
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

/** Write the project's manifests: the provider and role, then users in files of 1,000 documents. */
function writeProject(dir, n, endpoint) {
  const docs = manifests(n, endpoint).split('\n---\n');
  writeFileSync(path.join(dir, 'provider.yaml'), `${docs.slice(0, 2).join('\n---\n')}\n`);
  for (let i = 2, f = 0; i < docs.length; i += 1000, f++) {
    writeFileSync(
      path.join(dir, `users-${String(f).padStart(3, '0')}.yaml`),
      `${docs.slice(i, i + 1000).join('\n---\n')}\n`,
    );
  }
}

function manifests(n, endpoint) {
  const docs = [
    `apiVersion: roster/v1
kind: Provider
metadata: { name: bench }
spec: { type: intacct, endpoint: ${endpoint}, companyId: bench-co }`,
    `apiVersion: roster/v1
kind: SecurityLevel
metadata: { name: reader, provider: bench }
spec: { name: Reader, description: Read GL, permissions: { general-ledger/account: [list, view] } }`,
  ];
  for (let i = 0; i < n; i++) {
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
  return docs.join('\n---\n');
}

const rows = [];
for (const n of sizes) {
  const dir = mkdtempSync(path.join(tmpdir(), `roster-bench-${n}-`));
  // The served sandbox is declared as a sandbox provider in its own project directory.
  const simDir = path.join(dir, 'sim');
  mkdirSync(simDir);
  writeFileSync(path.join(simDir, 'provider.yaml'), manifests(0, 'sandbox').split('\n---\n')[0] + '\n');
  const fast = await serve(simDir, ['--port', '0']);
  const projectDir = path.join(dir, 'project');
  mkdirSync(projectDir);
  writeProject(projectDir, n, fast.url);
  process.stderr.write(`bench: applying ${n} users (no latency)…\n`);
  const apply = await run(['apply', '--auto-approve', '--concurrency', '8'], projectDir);
  await fast.stop();
  const slow = await serve(simDir, ['--port', '0', '--latency', String(latencyMs)]);
  writeProject(projectDir, n, slow.url);
  process.stderr.write(`bench: zero-change plan of ${n} users at ${latencyMs} ms latency…\n`);
  const plan = await run(['plan', '--format', 'json', '--detailed-exitcode'], projectDir);
  await slow.stop();
  const doc = JSON.parse(plan.stdout);
  if (doc.changes.length !== 0)
    throw new Error(`expected a zero-change plan, got ${doc.changes.length} changes`);
  rows.push({
    n,
    planS: plan.ms / 1000,
    apiCalls: doc.stats.apiCalls,
    rssMiB: plan.rssMiB,
    applyS: apply.ms / 1000,
    applyRss: apply.rssMiB,
  });
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (v, d = 2) => (v === undefined ? 'n/a' : v.toFixed(d));
const table = [
  `| users | zero-change plan (s) | API calls | plan peak RSS (MiB) | apply of all users (s, no latency) | apply peak RSS (MiB) |`,
  `|---:|---:|---:|---:|---:|---:|`,
  ...rows.map(
    (r) =>
      `| ${r.n.toLocaleString('en-US')} | ${fmt(r.planS)} | ${r.apiCalls} | ${fmt(r.rssMiB, 0)} | ${fmt(r.applyS, 1)} | ${fmt(r.applyRss, 0)} |`,
  ),
].join('\n');
console.log(table);

const md = `# Benchmarks

Written by \`pnpm bench\` (scripts/bench.js) on ${new Date().toISOString().slice(0, 10)}; ${cpus().length} cores,
${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.

**Zero-change plan**: ${sizes.map((n) => n.toLocaleString('en-US')).join(' and ')} Sage Intacct web services users (plus one role),
all already applied, planned against the Intacct simulator served by \`roster sandbox serve --latency ${latencyMs}\`
in another process (${latencyMs} ms added to every request). roster reads users, roles, groups and
group memberships with the query service (\`POST /services/core/query\`, pages of 4,000), so the number of
API calls grows with pages, not with accounts. Peak RSS is the \`roster plan\` process's (GNU time \`%M\`).

**Apply**: the first apply that creates every user (and its role assignment), with no added latency, at 8
operations in flight.

${table}

Tests never assert on time; these figures are measured, not enforced.
`;
mkdirSync(path.join(root, 'docs'), { recursive: true });
writeFileSync(path.join(root, 'docs/benchmarks.md'), md);
process.stderr.write('bench: wrote docs/benchmarks.md\n');
