import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyExample, roster } from './helpers.js';

const UNSIGNED =
  'warning: plan.json is not authenticated: only its checksum was verified, which anyone editing the file can recompute. Set ROSTER_PLAN_KEY (a secret shared by the plan and apply jobs) to sign and verify plans\n';

describe('roster show PLANFILE', () => {
  let dir: string;
  let planned: { text: string; json: string; markdown: string };
  beforeAll(async () => {
    dir = copyExample('quickstart');
    // A small saved plan: one role of the quickstart sandbox.
    const target = ['--allow-empty-state', '--target', 'intacct-sandbox/SecurityLevel/gl-read'];
    const saved = await roster(['plan', ...target, '--out', 'plan.json', '--out-markdown', 'plan.md'], {
      cwd: dir,
    });
    expect(saved.code).toBe(0);
    const json = await roster(['plan', ...target, '--format', 'json'], { cwd: dir });
    // The comment of the saved plan: "To apply" names the file, as `roster show` of it does.
    const markdown = readFileSync(path.join(dir, 'plan.md'), 'utf8');
    planned = { text: saved.stdout, json: json.stdout, markdown };
  });

  it('prints the saved plan as roster plan printed it, from anywhere, reading no manifest, state or system', async () => {
    // Away from the project, with its state directory and sandbox gone: nothing but the file is read.
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'roster-show-'));
    const file = path.join(elsewhere, 'plan.json');
    writeFileSync(file, readFileSync(path.join(dir, 'plan.json')));
    rmSync(dir, { recursive: true, force: true });
    const r = await roster(['show', 'plan.json'], { cwd: elsewhere });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(UNSIGNED);
    expect(r.stdout).toBe(planned.text);
    expect(r.stdout).toMatchInlineSnapshot(`
      "roster will perform these actions:

        # intacct-sandbox/SecurityLevel/gl-read will be created
        + SecurityLevel "GL Read"
            + description = "Read-only general ledger for reporting"
            + name        = "GL Read"
            + permissions = {generalLedger/accounts: ["list", "readonly"], generalLedger/journalEntries: ["list", "readonly"]}

      Plan: 1 to create, 0 to update, 0 to replace, 0 to deactivate, 0 to delete.

      Effective permissions that change:
        intacct-sandbox/ServiceAccount/bi-export
          + generalLedger/accounts: list
          + generalLedger/accounts: readonly
          + generalLedger/journalEntries: list
          + generalLedger/journalEntries: readonly
          - role GL Read (not declared here: its rights are unknown to roster)
        intacct-sandbox/ServiceAccount/invoice-portal
          + generalLedger/accounts: list
          + generalLedger/accounts: readonly
          + generalLedger/journalEntries: list
          + generalLedger/journalEntries: readonly
          - role GL Read (not declared here: its rights are unknown to roster)
      "
    `);
    expect(existsSync(path.join(elsewhere, '.roster'))).toBe(false);

    const json = await roster(['show', 'plan.json', '--format', 'json'], { cwd: elsewhere });
    expect(json.code).toBe(0);
    const shown = JSON.parse(json.stdout) as Record<string, unknown>;
    const fresh = JSON.parse(planned.json) as Record<string, unknown>;
    expect(shown).not.toHaveProperty('checksum');
    for (const key of ['changes', 'summary', 'findings', 'diagnostics', 'providers'])
      expect(shown[key]).toEqual(fresh[key]);

    const md = await roster(['show', 'plan.json', '--format', 'markdown'], { cwd: elsewhere });
    expect(md.code).toBe(0);
    expect(md.stdout).toBe(planned.markdown);
  });

  it('checks the file exactly as apply does: an altered plan or a wrong key is exit 1, nothing shown', async () => {
    const d = copyExample('quickstart');
    const made = await roster(['plan', '--allow-empty-state', '--out', 'plan.json'], {
      cwd: d,
      env: { ROSTER_PLAN_KEY: 'key-of-the-plan-job' },
    });
    expect(made.code).toBe(0);
    const file = path.join(d, 'plan.json');
    const signed = await roster(['show', 'plan.json'], {
      cwd: d,
      env: { ROSTER_PLAN_KEY: 'key-of-the-plan-job' },
    });
    expect(signed.code).toBe(0);
    expect(signed.stderr).toBe('');
    const wrongKey = await roster(['show', 'plan.json'], { cwd: d, env: { ROSTER_PLAN_KEY: 'another-key' } });
    expect(wrongKey).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: plan.json failed its signature check: it was modified after it was saved, or signed with another ROSTER_PLAN_KEY; make a new plan\n',
    });
    writeFileSync(file, readFileSync(file, 'utf8').replace('"GL Read"', '"GL Admin"'));
    const altered = await roster(['show', 'plan.json'], { cwd: d });
    expect(altered).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: plan.json was modified after it was saved (checksum mismatch); make a new plan\n',
    });
    const notAPlan = await roster(['show', 'nothing.json'], { cwd: d });
    expect(notAPlan).toEqual({ code: 1, stdout: '', stderr: 'error: cannot read plan file nothing.json\n' });
    const directory = await roster(['show', '.'], { cwd: d });
    expect(directory).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: . is a directory: to plan the manifests in it, run roster plan -f .\n',
    });
  });
});
