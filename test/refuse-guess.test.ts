import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyExample, readJson } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// Issue 15: drift and plan refuse to guess. No state while the manifests declare resources, a
// mistyped --state-dir or workspace, or a --target nothing holds is an error (exit 1), never an
// empty state that reads as "No drift" or "No changes".

const ACCOUNT = 'intacct-sandbox/ServiceAccount/invoice-portal';
const STATE_MISSING = /^error\[state\.missing\]: no state at (.+), but the manifests declare 5 resources/;

/** The stderr lines that are errors. */
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.includes('error'));

describe('no state while the manifests declare resources', () => {
  let dir: string;
  beforeAll(async () => {
    dir = copyExample('quickstart');
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code, apply.stderr).toBe(0);
  }, 120_000);

  it('rm .roster/state.json: drift and plan exit 1 with one line saying how to start', async () => {
    expect((await roster(['drift'], { cwd: dir })).code).toBe(0);
    rmSync(path.join(dir, '.roster/state.json'));
    rmSync(path.join(dir, '.roster/state.json.backup'), { force: true });

    const drift = await roster(['drift'], { cwd: dir });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toBe('');
    expect(drift.stdout).not.toContain('No drift');
    expect(errorLines(drift.stderr)).toHaveLength(1);
    expect(drift.stderr).toMatch(STATE_MISSING);
    expect(drift.stderr).toContain(path.join(dir, '.roster/state.json'));
    for (const way of ['roster apply', 'roster import ADDR ID', '--allow-empty-state'])
      expect(drift.stderr).toContain(way);

    const plan = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.code).toBe(1);
    expect(plan.stdout).toBe('');
    expect(errorLines(plan.stderr)).toHaveLength(1);
    expect(plan.stderr).toMatch(STATE_MISSING);
    expect(plan.stderr).toContain('roster plan refuses to guess');

    // The JSON plan is still a document, with the error inside.
    const json = await roster(['plan', '--format', 'json'], { cwd: dir });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { changes: unknown[]; diagnostics: Array<{ code: string }> };
    expect(doc.changes).toEqual([]);
    expect(doc.diagnostics.map((d) => d.code)).toEqual(['state.missing']);

    // Nothing was written by the refusals.
    expect(existsSync(path.join(dir, '.roster/state.json'))).toBe(false);
  });

  it('--allow-empty-state: a first run, as before (drift finds nothing to compare; plan adopts)', async () => {
    const drift = await roster(['drift', '--allow-empty-state'], { cwd: dir });
    expect(drift.code, drift.stderr).toBe(0);
    expect(drift.stdout).toContain('No drift');
    const plan = await roster(['plan', '--allow-empty-state', '--detailed-exitcode'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('5 to import');
    expect(existsSync(path.join(dir, '.roster/state.json'))).toBe(false);
  });

  it('apply with no state is a first run: it works without the flag, and then drift and plan work', async () => {
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code, apply.stderr).toBe(0);
    expect((await roster(['drift'], { cwd: dir })).code).toBe(0);
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
  });

  it('a mistyped --state-dir is refused, and not created', async () => {
    const drift = await roster(['drift', '--state-dir', '.rostr'], { cwd: dir });
    expect(drift.code).toBe(1);
    expect(drift.stderr).toMatch(STATE_MISSING);
    expect(drift.stderr).toContain(path.join(dir, '.rostr/state.json'));
    const plan = await roster(['plan', '--state-dir', '.rostr'], { cwd: dir });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(STATE_MISSING);
    expect(existsSync(path.join(dir, '.rostr'))).toBe(false);
  });

  it('a state that exists but holds nothing is a real state, not an error', async () => {
    const other = copyExample('quickstart');
    expect((await roster(['apply', '--auto-approve'], { cwd: other })).code).toBe(0);
    const addresses = (await roster(['state', 'list'], { cwd: other })).stdout.trim().split('\n');
    expect(addresses).toHaveLength(5);
    expect((await roster(['state', 'rm', ...addresses], { cwd: other })).code).toBe(0);
    const state = readJson<{ serial: number; resources: object }>(path.join(other, '.roster/state.json'));
    expect(state.resources).toEqual({});
    const plan = await roster(['plan', '--detailed-exitcode'], { cwd: other });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('5 to import');
    expect((await roster(['drift'], { cwd: other })).code).toBe(0);
  });

  it('manifests that declare no resource and no state: nothing to guess', async () => {
    const empty = copyExample('quickstart');
    for (const f of ['service-accounts.yaml', 'access.yaml']) rmSync(path.join(empty, f), { force: true });
    const validate = await roster(['validate'], { cwd: empty });
    expect(validate.stdout, validate.stderr).toContain('0 resources');
    const plan = await roster(['plan', '--detailed-exitcode'], { cwd: empty });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
    const drift = await roster(['drift', '--no-unmanaged'], { cwd: empty });
    expect(drift.code, drift.stderr).toBe(0);
  });
});

describe('unknown --target and --replace addresses', () => {
  it('exit 1 naming the nearest addresses of the manifests and state; nothing is applied', async () => {
    const dir = copyExample('quickstart');
    const plan = await roster(
      ['plan', '--allow-empty-state', '--target', 'intacct-sandbox/ServiceAccount/invoice-portl'],
      { cwd: dir },
    );
    expect(plan.code).toBe(1);
    expect(plan.stdout).toBe('');
    expect(plan.stderr.trim()).toBe(
      `error[plan.unknown-address]: --target intacct-sandbox/ServiceAccount/invoice-portl: no such resource in the manifests or state; did you mean ${ACCOUNT}?`,
    );

    const apply = await roster(
      ['apply', '--auto-approve', '--replace', 'intacct-sandbox/SecurityLevel/ap-synk'],
      { cwd: dir },
    );
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(
      'error[plan.unknown-address]: --replace intacct-sandbox/SecurityLevel/ap-synk: no such resource in the manifests or state; did you mean intacct-sandbox/SecurityLevel/ap-sync?',
    );
    expect(existsSync(path.join(dir, '.roster/state.json'))).toBe(false);

    // A known address works; an address only state holds (removed from the manifests) is known too.
    expect((await roster(['apply', '--auto-approve', '--target', ACCOUNT], { cwd: dir })).code).toBe(0);
    const file = path.join(dir, 'service-accounts.yaml');
    writeFileSync(file, '');
    const removed = await roster(['plan', '--target', ACCOUNT], { cwd: dir });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(ACCOUNT);

    const far = await roster(['plan', '--target', 'nothing/Like/this-at-all'], { cwd: dir });
    expect(far.code).toBe(1);
    expect(far.stderr).toContain('no such resource in the manifests or state (roster state list names');
  });
});

describe('roster workspace on the local backend', () => {
  it('list, new, select, delete: default always exists; an unknown workspace is an error, not an empty state', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);

    expect((await roster(['workspace', 'list'], { cwd: dir })).stdout).toBe('* default\n');
    const created = await roster(['workspace', 'new', 'staging'], { cwd: dir });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain('Created workspace staging');
    expect(existsSync(path.join(dir, '.roster/workspaces/staging/state.json'))).toBe(true);
    const again = await roster(['workspace', 'new', 'staging'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('workspace staging already exists');
    expect((await roster(['workspace', 'new', 'Not Valid'], { cwd: dir })).code).toBe(1);

    const staging = { ROSTER_WORKSPACE: 'staging' };
    const listed = await roster(['workspace', 'list'], { cwd: dir, env: staging });
    expect(listed.stdout).toBe('  default\n* staging\n');
    expect((await roster(['workspace', 'show'], { cwd: dir, env: staging })).stdout).toBe('staging\n');

    // A mistyped workspace: every command refuses, naming the existing ones.
    for (const args of [['drift'], ['plan'], ['apply', '--auto-approve'], ['state', 'list']]) {
      const r = await roster(args, { cwd: dir, env: { ROSTER_WORKSPACE: 'stagin' } });
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr, args[0]).toContain(
        'error: workspace stagin does not exist in ' +
          path.join(dir, '.roster') +
          '; existing workspaces: default, staging (did you mean staging?); to create it: roster workspace new stagin',
      );
    }
    expect((await roster(['drift', '--workspace', 'nope'], { cwd: dir })).code).toBe(1);
    expect(existsSync(path.join(dir, '.roster/workspaces/stagin'))).toBe(false);

    // A new workspace holds a real (empty) state: plan there needs no --allow-empty-state.
    const plan = await roster(['plan', '--detailed-exitcode'], { cwd: dir, env: staging });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('5 to import');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir, env: staging })).code).toBe(0);
    const stagingState = readJson<{ lineage: string; resources: object }>(
      path.join(dir, '.roster/workspaces/staging/state.json'),
    );
    const defaultState = readJson<{ lineage: string }>(path.join(dir, '.roster/state.json'));
    expect(Object.keys(stagingState.resources)).toHaveLength(5);
    expect(stagingState.lineage).not.toBe(defaultState.lineage);

    // delete: refuses default, the current workspace, and one still holding resources unless --force.
    const def = await roster(['workspace', 'delete', 'default'], { cwd: dir });
    expect(def.code).toBe(1);
    expect(def.stderr).toContain('workspace default cannot be deleted');
    const current = await roster(['workspace', 'delete', 'staging'], { cwd: dir, env: staging });
    expect(current.code).toBe(1);
    expect(current.stderr).toContain('workspace staging is the current workspace');
    const held = await roster(['workspace', 'delete', 'staging'], { cwd: dir });
    expect(held.code).toBe(1);
    expect(held.stderr).toContain('workspace staging still holds 5 resources');
    expect(held.stderr).toContain('--force');
    expect(existsSync(path.join(dir, '.roster/workspaces/staging/state.json'))).toBe(true);
    const forced = await roster(['workspace', 'delete', 'staging', '--force'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('roster forgot its 5 resources');
    expect(existsSync(path.join(dir, '.roster/workspaces/staging'))).toBe(false);
    expect((await roster(['workspace', 'list'], { cwd: dir })).stdout).toBe('* default\n');
    // default is untouched.
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
  });

  it('deletes an empty workspace without --force', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['workspace', 'new', 'scratch'], { cwd: dir })).code).toBe(0);
    const r = await roster(['workspace', 'delete', 'scratch'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`Deleted workspace scratch from ${path.join(dir, '.roster')}.\n`);
    const unknown = await roster(['workspace', 'delete', 'scratch'], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('workspace scratch does not exist');
  });
});
