import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFiles, copyExample, readJson } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// CI's plan job and apply job share this as a secret; the secrets scan looks for it everywhere.
const KEY = 'ci-plan-key-5b1d0e77c2a94f03';
const signed = { ROSTER_PLAN_KEY: KEY };

/** Every file under a directory with its content: what a refused apply must leave as it was. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(allFiles(dir).map((f) => [path.relative(dir, f), readFileSync(f, 'utf8')]));
}

// Each test saves the first plan of a fresh copy (no state yet): --allow-empty-state, as a first run.
describe('saved plans signed with ROSTER_PLAN_KEY (built CLI)', () => {
  it('a signed plan applies with the key; without the key apply warns it is not authenticated', async () => {
    const dir = copyExample('quickstart');
    const plan = await roster(['plan', '--out', 'plan.json', '--allow-empty-state'], {
      cwd: dir,
      env: signed,
    });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain('(signed with ROSTER_PLAN_KEY)');
    const doc = readJson<Record<string, unknown>>(path.join(dir, 'plan.json'));
    expect(doc['signature']).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);

    const apply = await roster(['apply', 'plan.json'], { cwd: dir, env: signed });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).not.toContain('not authenticated');

    const unsigned = copyExample('quickstart');
    expect(
      (await roster(['plan', '--out', 'plan.json', '--allow-empty-state'], { cwd: unsigned })).stderr,
    ).toContain('checksummed, not signed: set ROSTER_PLAN_KEY to sign it');
    const warned = await roster(['apply', 'plan.json'], { cwd: unsigned });
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain(
      'warning: plan.json is not authenticated: only its checksum was verified, which anyone editing the file can recompute. Set ROSTER_PLAN_KEY',
    );
  });

  it('refuses a tampered plan, a plan signed with another key, and an unsigned plan when a key is set; nothing is written', async () => {
    const dir = copyExample('quickstart');
    expect(
      (await roster(['plan', '--out', 'plan.json', '--allow-empty-state'], { cwd: dir, env: signed })).code,
    ).toBe(0);
    expect((await roster(['plan', '--out', 'unsigned.json', '--allow-empty-state'], { cwd: dir })).code).toBe(
      0,
    );
    const file = path.join(dir, 'plan.json');
    const original = readFileSync(file, 'utf8');
    const sandboxBefore = snapshot(path.join(dir, '.roster'));

    // Widen an account's rights between review and apply, and fix up the checksum as an attacker would.
    const doc = JSON.parse(original) as { changes: Array<{ after: Record<string, unknown> }> };
    const change = doc.changes.find((c) => c.after && 'adminPrivileges' in c.after);
    expect(change).toBeDefined();
    change!.after['adminPrivileges'] = 'full';
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const tampered = await roster(['apply', 'plan.json'], { cwd: dir, env: signed });
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(
      'error: plan.json failed its signature check: it was modified after it was saved, or signed with another ROSTER_PLAN_KEY; make a new plan',
    );
    expect(tampered.stderr).not.toMatch(/\n\s+at /);

    writeFileSync(file, original);
    const wrongKey = await roster(['apply', 'plan.json'], {
      cwd: dir,
      env: { ROSTER_PLAN_KEY: 'some-other-key-8c3e' },
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('failed its signature check');

    const missing = await roster(['apply', 'unsigned.json'], { cwd: dir, env: signed });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('unsigned.json is not signed, but ROSTER_PLAN_KEY is set');

    // None of the refused applies touched state or the sandbox.
    expect(existsSync(path.join(dir, '.roster', 'state.json'))).toBe(false);
    expect(snapshot(path.join(dir, '.roster'))).toEqual(sandboxBefore);
  });
});
