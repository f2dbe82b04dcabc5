import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, editFile, roster } from './helpers.js';

// The attack (issue 16, item 5): a manifest from a pull request points an account's credentials
// at a file outside the project; `apply --sandbox-operator` creates the API user, the sandbox
// shows its secret once, and roster wrote it over that file.

const MANIFEST = 'office-protect.yaml';
const ORIGINAL = '${file:secrets/office-protect.secret}';

function elsewhere(): string {
  return mkdtempSync(path.join(tmpdir(), 'roster-elsewhere-'));
}

describe('a secret shown once is stored only where roster may write it', () => {
  it('refuses a file outside the project before anything is applied, and leaves it untouched', async () => {
    const dir = copyExample('autotask');
    const important = path.join(elsewhere(), 'important.conf');
    writeFileSync(important, 'listen = 443\n');
    editFile(path.join(dir, MANIFEST), ORIGINAL, `\${file:${important}}`);
    const r = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain(
      `error: apply refused: a secret the system shows once could not be stored:\n  - autotask-prod/ServiceAccount/office-protect: credentials.secret: ${important} is outside the project directory ${dir}`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(important, 'utf8')).toBe('listen = 443\n');
    // Nothing was applied: no state, nothing created in the sandbox.
    expect(existsSync(path.join(dir, '.roster/state.json'))).toBe(false);
  });

  it('refuses a file of the project that roster did not write', async () => {
    const dir = copyExample('autotask');
    const own = path.join(dir, 'deploy-settings.conf');
    writeFileSync(own, 'deploy-target = zone-7f3a\n');
    editFile(path.join(dir, MANIFEST), ORIGINAL, '${file:deploy-settings.conf}');
    const r = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain(`${own} already exists and roster did not store it (or it changed since)`);
    expect(readFileSync(own, 'utf8')).toBe('deploy-target = zone-7f3a\n');
  });

  it('stores in a directory outside the project only when apply --secret-dir allows it', async () => {
    const dir = copyExample('autotask');
    const vault = elsewhere();
    const target = path.join(vault, 'office-protect.secret');
    editFile(path.join(dir, MANIFEST), ORIGINAL, `\${file:${target}}`);
    const r = await roster(['apply', '--auto-approve', '--sandbox-operator', '--secret-dir', vault], {
      cwd: dir,
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain(`stored the secret the system showed once in ${target}`);
    expect(readFileSync(target, 'utf8').trim().length).toBeGreaterThan(8);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('the default place inside the project still works, and roster records what it stored', async () => {
    const dir = copyExample('autotask');
    const r = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const file = path.join(dir, 'secrets/office-protect.secret');
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThan(8);
    expect(statSync(path.join(dir, '.roster/stored-secrets.json')).mode & 0o777).toBe(0o600);
  });
});
