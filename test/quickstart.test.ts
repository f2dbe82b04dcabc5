import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, readJson, roster } from './helpers.js';

describe('examples/quickstart on the Intacct sandbox', () => {
  it('validates, plans, applies, and then plans no changes', async () => {
    const dir = copyExample('quickstart');

    const validate = await roster(['validate'], { cwd: dir });
    expect(validate.stderr).toBe('');
    expect(validate.stdout).toContain('The manifests are valid: 3 files, 1 provider, 5 resources.');
    expect(validate.code).toBe(0);

    // A fresh clone has no state: the first plan says so (as `pnpm quickstart` does).
    const plan = await roster(['plan', '--detailed-exitcode', '--allow-empty-state'], { cwd: dir });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('# intacct-sandbox/ServiceAccount/invoice-portal will be created');
    expect(plan.stdout).toContain(
      'Plan: 5 to create, 0 to update, 0 to replace, 0 to deactivate, 0 to delete.',
    );
    // Roles and the group come before the users that hold them.
    const order = ['SecurityLevel/ap-sync', 'Group/integrations', 'ServiceAccount/invoice-portal'].map((a) =>
      plan.stdout.indexOf(`intacct-sandbox/${a} will`),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));

    const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain(
      'Apply complete! 5 created, 0 updated, 0 replaced, 0 deactivated, 0 deleted.',
    );

    const again = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);

    const state = readJson<{ serial: number; resources: Record<string, { id: string }> }>(
      path.join(dir, '.roster/state.json'),
    );
    expect(Object.keys(state.resources).sort()).toEqual([
      'intacct-sandbox/Group/integrations',
      'intacct-sandbox/SecurityLevel/ap-sync',
      'intacct-sandbox/SecurityLevel/gl-read',
      'intacct-sandbox/ServiceAccount/bi-export',
      'intacct-sandbox/ServiceAccount/invoice-portal',
    ]);
    expect(statSync(path.join(dir, '.roster/state.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, '.roster/.gitignore'), 'utf8')).toContain('*');
  });

  it('runs from any directory, with paths relative to the caller', async () => {
    const dir = copyExample('quickstart');
    const parent = path.dirname(dir);
    const r = await roster(['plan', '-f', path.basename(dir), '--format', 'json', '--allow-empty-state'], {
      cwd: parent,
    });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { summary: { create: number } };
    expect(plan.summary.create).toBe(5);
    // State and sandbox live in the project directory (the first -f), not the working directory.
    expect(statSync(path.join(dir, '.roster/sandbox')).isDirectory()).toBe(true);
  });
});
