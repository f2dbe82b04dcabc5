#!/usr/bin/env node
// Pure-CPU planning benchmark: loads a project of N Sage Intacct resources with the loader
// `roster plan` uses, then assembles, reviews and renders (JSON) a plan against a state document
// and a remote snapshot built from those same resources, with no network and no simulator.
// Usage: pnpm build && node scripts/bench-cpu.js N [--changes K]
// Prints one JSON line: {"resources":N,"loadMs":…,"planMs":…,"totalMs":…,"peakRssMiB":…, …}.
// With --changes K, K users differ in the system (userName), and the plan must hold exactly K
// updates; without it the plan must hold none. A wrong plan throws: its timing would mean nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { builtinProviders } from '../packages/cli/dist/providers.js';
import { openProject, planProject, remoteFingerprint } from '../packages/core/dist/index.js';

const args = process.argv.slice(2);
const n = Number(args[0]);
if (!Number.isInteger(n) || n < 3) {
  console.error('usage: node scripts/bench-cpu.js N [--changes K]   (N ≥ 3 resources)');
  process.exit(1);
}
const ci = args.indexOf('--changes');
const changes = ci >= 0 ? Number(args[ci + 1]) : 0;
if (!Number.isInteger(changes) || changes < 0) {
  console.error('--changes K needs a non-negative integer');
  process.exit(1);
}

const DOCS_PER_FILE = 1000;
const PROVIDER = 'bench';

/** How N resources split: one role per ~100 users, one group per ~1,000 resources, the rest users. */
function mix(total) {
  const roles = Math.max(1, Math.round(total / 101));
  const groups = Math.max(1, Math.floor(total / 1000));
  return { roles, groups, users: total - roles - groups };
}

/** Resource documents (YAML text each), roles and groups first so users can reference them. */
function resourceDocs(total) {
  const { roles, groups, users } = mix(total);
  const docs = [];
  const perms = [
    'generalLedger/accounts: [list, view]',
    'accountsPayable/bills: [list, view, add]',
    'accountsReceivable/invoices: [list, view]',
    'cashManagement/checkingAccounts: [list]',
  ];
  for (let r = 0; r < roles; r++) {
    docs.push(`apiVersion: roster/v1
kind: SecurityLevel
metadata: { name: role-${r}, provider: ${PROVIDER} }
spec:
  name: Bench Role ${r}
  description: Bench role ${r}
  permissions:
    ${perms[r % perms.length]}
    ${perms[(r + 1) % perms.length]}`);
  }
  for (let g = 0; g < groups; g++) {
    docs.push(`apiVersion: roster/v1
kind: Group
metadata: { name: group-${g}, provider: ${PROVIDER} }
spec:
  name: BENCH_GROUP_${g}
  description: Bench group ${g}
  roles: [{ ref: role-${g % roles} }]`);
  }
  for (let i = 0; i < users; i++) {
    const id = `WS_BENCH_${String(i).padStart(6, '0')}`;
    const email = `${id.toLowerCase()}@example.com`;
    docs.push(`apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: u${i}, provider: ${PROVIDER}, labels: { owner: bench, purpose: bench } }
spec:
  id: ${id}
  userName: Bench ${i}
  email: ${email}
  contact: { firstName: Bench, lastName: U${i}, email: ${email} }
  userType: business
  adminPrivileges: off
  status: active
  roles: [{ ref: role-${Math.floor(i / 100) % roles} }]
  groups: [{ ref: group-${i % groups} }]`);
  }
  return docs;
}

function writeProject(dir, total) {
  writeFileSync(
    path.join(dir, 'provider.yaml'),
    `apiVersion: roster/v1
kind: Provider
metadata: { name: ${PROVIDER} }
spec: { type: intacct, endpoint: sandbox, companyId: bench-co }
`,
  );
  const docs = resourceDocs(total);
  for (let i = 0, f = 0; i < docs.length; i += DOCS_PER_FILE, f++) {
    writeFileSync(
      path.join(dir, `resources-${String(f).padStart(4, '0')}.yaml`),
      `${docs.slice(i, i + DOCS_PER_FILE).join('\n---\n')}\n`,
    );
  }
}

/**
 * The remote snapshot and state a successful apply of `desired` would leave: each object as the
 * provider reports it (the manifest-owned attributes, `local` ones excluded, sets sorted), and
 * state recording those attributes and the fingerprint of the object as read.
 */
function appliedWorld(project) {
  const remote = new Map();
  const resources = {};
  let serial = 0;
  for (const d of project.desired) {
    const def = project.kindOf(d.provider, d.kind);
    if (!def) throw new Error(`no kind definition for ${d.address}`);
    const attributes = {};
    for (const [k, v] of Object.entries(d.spec)) {
      const rule = def.attributes[k];
      if (rule?.local) continue;
      attributes[k] =
        rule?.set && rule.ref && Array.isArray(v) ? [...v].sort((a, b) => (a.ref < b.ref ? -1 : 1)) : v;
    }
    const object = { id: `key-${++serial}`, naturalKey: d.naturalKey, attributes };
    if (def.deactivation && attributes[def.deactivation.attribute] === def.deactivation.value)
      object.deactivated = true;
    const kinds = remote.get(d.provider) ?? new Map();
    remote.set(d.provider, kinds);
    const list = kinds.get(d.kind) ?? [];
    kinds.set(d.kind, list);
    list.push(object);
    resources[d.address] = {
      provider: d.provider,
      kind: d.kind,
      name: d.name,
      id: object.id,
      naturalKey: d.naturalKey,
      attributes: { ...attributes },
      dependencies: d.dependencies,
      remoteFingerprint: remoteFingerprint(object),
      appliedAt: '2025-01-01T00:00:00.000Z',
    };
  }
  const state = { version: 1, lineage: 'bench-lineage', serial: 1, resources };
  return { remote, state };
}

/** Change `count` users in the system (their userName), as if edited by hand. */
function changeUsers(remote, count) {
  const users = remote.get(PROVIDER)?.get('ServiceAccount') ?? [];
  if (count > users.length) throw new Error(`--changes ${count}: only ${users.length} users`);
  const step = Math.max(1, Math.floor(users.length / Math.max(1, count)));
  for (let i = 0, done = 0; done < count; i += step, done++) {
    const o = users[i];
    users[i] = { ...o, attributes: { ...o.attributes, userName: `${o.attributes.userName} (edited)` } };
  }
}

const dir = mkdtempSync(path.join(tmpdir(), `roster-bench-cpu-${n}-`));
try {
  writeProject(dir, n);
  const now = new Date();

  const loadStarted = performance.now();
  const project = await openProject({ paths: [dir], cwd: dir, providers: builtinProviders });
  const loadMs = performance.now() - loadStarted;
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new Error(`the generated project has errors: ${JSON.stringify(errors.slice(0, 3))}`);
  if (project.desired.length !== n)
    throw new Error(`expected ${n} desired resources, loaded ${project.desired.length}`);

  const { remote, state } = appliedWorld(project);
  if (changes > 0) changeUsers(remote, changes);

  // Core's pure planning (as `roster plan` runs it after refreshing), then rendered as `--format json`.
  const planStarted = performance.now();
  const plan = planProject({
    project,
    state,
    remote,
    mode: 'normal',
    stats: { apiCalls: 0, apiCallsByProvider: {}, throttled: 0, refreshMs: 0, planMs: 0 },
    now,
  });
  const assembleAndReviewMs = performance.now() - planStarted;
  const json = JSON.stringify(plan, null, 2);
  const planMs = performance.now() - planStarted;
  const renderMs = planMs - assembleAndReviewMs;

  const planErrors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (planErrors.length > 0)
    throw new Error(`the plan has errors: ${JSON.stringify(planErrors.slice(0, 3))}`);
  const updates = plan.changes.filter((c) => c.action === 'update').length;
  if (plan.changes.length !== changes || updates !== changes || plan.summary.update !== changes)
    throw new Error(
      `expected ${changes} update(s) and nothing else, got ${plan.changes.length} change(s): ${JSON.stringify(plan.summary)}`,
    );
  if (changes === 0 && plan.accept.length > 0)
    throw new Error(`expected state to be current, the plan accepts ${plan.accept.length} resource(s)`);
  if (changes > 0 && !plan.changes.every((c) => c.reasons.some((r) => r.path === '/userName')))
    throw new Error('expected every update to change userName');

  const round = (x) => Math.round(x);
  console.log(
    JSON.stringify({
      resources: n,
      loadMs: round(loadMs),
      planMs: round(planMs),
      totalMs: round(loadMs + planMs),
      peakRssMiB: round(process.resourceUsage().maxRSS / 1024),
      assembleAndReviewMs: round(assembleAndReviewMs),
      renderMs: round(renderMs),
      changes: plan.changes.length,
      planJsonBytes: json.length,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
