import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, project, readJson, rosterBin, serveSandbox } from './helpers.js';
import { type ManyAccountsShape, manyAccountsProject, operationCount, SHAPE_300 } from './many-accounts.js';
import { SOAK, soakScale } from './support/soak.js';

// Crash safety (write-ahead journal): `roster apply` is killed with SIGKILL at random points —
// through the test hook ROSTER_TEST_KILL_AFTER_OPS, which makes the process kill itself at the n-th
// journaled operation, between intent and call, between call and outcome, or between outcome and
// state write. The in-process sandbox dies with it, mid-request. After each kill, state must be
// readable; the next apply reconciles and goes on; at the end the sandbox holds exactly what the
// manifests declare.
//
// `pnpm test` runs a small instance (60 operations, 10 kills); `pnpm test:soak` the full one
// (300 operations, 55 kills). Same project generator, same kill hook, same checks.

/** 60 operations: 30 users (24 of them created inactive, then updated), 4 roles, 2 groups. */
const SHAPE_60: ManyAccountsShape = { users: 30, inactiveUsers: 24, roles: 4, groups: 2 };
const SHAPE = soakScale(SHAPE_60, SHAPE_300);
/** Kills aimed for; the test needs at least MIN_KILLS before the apply runs out of operations. */
const KILLS = soakScale(10, 55);
const MIN_KILLS = soakScale(8, 50);

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [rosterBin, ...args],
      { cwd, env: cliEnv(env), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          signal: child.signalCode,
          stdout,
          stderr,
        });
      },
    );
    child.stdin?.end('');
  });
}

/** A small seeded generator, so a failing sequence of kill points can be replayed (seed logged). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface StateFile {
  serial: number;
  resources: Record<string, { id: string; naturalKey: string; kind: string }>;
}

/** State must parse after every kill (or not exist yet, before the first write). */
function readState(dir: string): StateFile | undefined {
  const file = path.join(dir, '.roster/state.json');
  if (!existsSync(file)) return undefined;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as StateFile;
  if (typeof doc.serial !== 'number' || typeof doc.resources !== 'object')
    throw new Error('state is not a state document');
  return doc;
}

interface SandboxState {
  tables: {
    user: Array<{ key: string; id: string; status: string; contact: string }>;
    contact: Array<{ key: string; id: string }>;
    role: Array<{ key: string; id: string }>;
    'user-group': Array<{ key: string; id: string }>;
    'user-group-member': Array<{ user: string; userGroup: string }>;
    'role-user-map': Array<{ user: string; role: string }>;
  };
}

/** The sandbox as `roster sandbox serve` reads it from its persisted files. */
async function sandboxState(dir: string): Promise<SandboxState> {
  const server = await serveSandbox(dir, 'books');
  try {
    const res = await fetch(`${server.url}/__sandbox/state`, { headers: server.headers });
    return (await res.json()) as SandboxState;
  } finally {
    await server.stop();
  }
}

const duplicates = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);

describe('an apply killed with SIGKILL at random points', () => {
  it(`converges: no orphan, no duplicate, state readable after every kill (${operationCount(SHAPE)} operations${SOAK ? ', soak' : ''})`, {
    // A bound for a hang only: the soak run's 56 applies take minutes on a busy machine.
    timeout: soakScale(240_000, 900_000),
  }, async () => {
    const shape = SHAPE;
    const dir = project(manyAccountsProject(shape));
    const seed = Number(process.env.ROSTER_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = mulberry32(seed);
    const phases = ['intent', 'call', 'done'] as const;
    const started = Date.now();
    let kills = 0;
    let runs = 0;
    let reconciledRuns = 0;
    const byPhase: Record<string, number> = { intent: 0, call: 0, done: 0 };
    while (kills < KILLS) {
      // Small n: each run gets a few operations further, so the kills spread over all operations.
      const n = 1 + Math.floor(random() * 8);
      const phase = phases[Math.floor(random() * phases.length)]!;
      // Four in flight (not the default eight): each run gets only a few operations further.
      const r = await run(['apply', '--auto-approve', '--concurrency', '4'], dir, {
        ROSTER_TEST_KILL_AFTER_OPS: `${n}:${phase}`,
      });
      runs += 1;
      if (r.stderr.includes('reconciled its journal')) reconciledRuns += 1;
      expect(() => readState(dir), `state after run ${runs}`).not.toThrow();
      if (r.signal === 'SIGKILL') {
        kills += 1;
        byPhase[phase]! += 1;
        continue;
      }
      // Nothing left to do before the kill point: the apply finished normally.
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      break;
    }
    const final = await run(['apply', '--auto-approve'], dir);
    expect(final.code, `${final.stdout}\n${final.stderr}`).toBe(0);
    const plan = await run(['plan', '--detailed-exitcode'], dir);
    expect(plan.code, plan.stdout).toBe(0);
    const journal = path.join(dir, '.roster/journal');
    expect(existsSync(journal) ? readFileSync(journal, 'utf8') : '').toBe('');

    // The system holds exactly the declared objects, once each.
    const sandbox = await sandboxState(dir);
    const users = sandbox.tables.user.filter((u) => u.id.startsWith('WS_USER_'));
    const roles = sandbox.tables.role.filter((r) => r.id.startsWith('Role '));
    const groups = sandbox.tables['user-group'].filter((g) => g.id.startsWith('Group '));
    expect(users).toHaveLength(shape.users);
    expect(duplicates(users.map((u) => u.id))).toEqual([]);
    expect(roles).toHaveLength(shape.roles);
    expect(duplicates(roles.map((r) => r.id))).toEqual([]);
    expect(groups).toHaveLength(shape.groups);
    expect(duplicates(groups.map((g) => g.id))).toEqual([]);
    const userKeys = new Set(users.map((u) => u.key));
    const contacts = sandbox.tables.contact.filter((c) => /\(WS_USER_\d+\)$/.test(c.id));
    expect(contacts).toHaveLength(shape.users);
    const members = sandbox.tables['user-group-member'].filter((m) => userKeys.has(m.user));
    expect(members).toHaveLength(shape.users);
    expect(duplicates(members.map((m) => `${m.user}|${m.userGroup}`))).toEqual([]);
    const roleMaps = sandbox.tables['role-user-map'].filter((m) => userKeys.has(m.user));
    expect(roleMaps).toHaveLength(shape.users);
    const inactive = users
      .filter((u) => u.status === 'inactive')
      .map((u) => u.id)
      .sort();
    expect(inactive).toEqual(
      Array.from({ length: shape.inactiveUsers }, (_, i) => `WS_USER_${String(i).padStart(3, '0')}`),
    );

    // State names each of them, by the system's id: no orphan.
    const state = readState(dir)!;
    expect(Object.keys(state.resources)).toHaveLength(shape.users + shape.roles + shape.groups);
    const stateIds = new Set(
      Object.values(state.resources)
        .filter((r) => r.kind === 'ServiceAccount')
        .map((r) => r.id),
    );
    expect([...userKeys].every((k) => stateIds.has(k))).toBe(true);

    console.log(
      `kill-apply: seed ${seed}; ${operationCount(shape)} operations; ${kills} SIGKILLs (after intent ${byPhase.intent}, after call ${byPhase.call}, after outcome ${byPhase.done}); ${runs + 1} applies, ${reconciledRuns} of them reconciled the journal; ${Math.round((Date.now() - started) / 1000)} s`,
    );
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
  });

  it('never orphans an account made by a killed run, even when its manifest is then removed', async () => {
    const provider = `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec: { type: intacct, endpoint: sandbox, companyId: demo-co }
`;
    const user = (name: string, id: string) => `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: ${name}, provider: books, labels: { owner: it, purpose: test } }
spec:
  id: ${id}
  userName: ${name}
  email: ${id.toLowerCase()}@example.com
  contact: { firstName: Web, lastName: ${name}, email: ${id.toLowerCase()}@example.com }
  userType: business
  adminPrivileges: off
`;
    const dir = project({ 'p.yaml': provider, 'a.yaml': user('a', 'WS_A'), 'b.yaml': user('b', 'WS_B') });
    // Killed right after the system made WS_A, before roster wrote it down anywhere but the journal.
    const killed = await run(['apply', '--auto-approve', '--concurrency', '1'], dir, {
      ROSTER_TEST_KILL_AFTER_OPS: '1:call',
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(readState(dir)?.resources ?? {}).toEqual({});

    // plan stays read-only and says so.
    const plan = await run(['plan'], dir);
    expect(plan.stderr).toMatch(
      /warning: an earlier apply stopped with 1 operation unfinished \(books\/ServiceAccount\/a\)/,
    );
    expect(readState(dir)?.resources ?? {}).toEqual({});

    // The account is no longer wanted. Without the journal, WS_A would stay active, unmanaged, with
    // live credentials; with it, apply adopts it and then removes it as the manifests now say.
    writeFileSync(path.join(dir, 'a.yaml'), '');
    const apply = await run(['apply', '--auto-approve'], dir);
    expect(apply.code, `${apply.stdout}\n${apply.stderr}`).toBe(0);
    expect(apply.stderr).toMatch(
      /reconciled books\/ServiceAccount\/a: the create reached the system before the run stopped: ServiceAccount WS_A \(id \d+\) adopted into state/,
    );
    expect(apply.stdout).toMatch(/1 created, 0 updated, 0 replaced, 1 deactivated/);
    const sandbox = await sandboxState(dir);
    const status = Object.fromEntries(sandbox.tables.user.map((u) => [u.id, u.status]));
    expect(status).toMatchObject({ WS_A: 'inactive', WS_B: 'active' });
    expect(Object.keys(readState(dir)!.resources)).toEqual(['books/ServiceAccount/b']);
    const audit = readFileSync(path.join(dir, '.roster/audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit).toContainEqual(
      expect.objectContaining({ type: 'reconcile', address: 'books/ServiceAccount/a', outcome: 'adopted' }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({
        type: 'operation',
        address: 'books/ServiceAccount/a',
        action: 'deactivate',
        outcome: 'done',
      }),
    );
    expect(readJson<StateFile>(path.join(dir, '.roster/state.json')).serial).toBeGreaterThan(0);
  });
});
