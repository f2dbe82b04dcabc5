import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputValidator, schemaErrors } from '../packages/core/src/render/output-schemas.testing.js';
import { copyExample, roster } from './helpers.js';

// `roster apply --format json`: one result document on stdout, as schemas/apply.schema.json says.

function documentOf(stdout: string): Record<string, unknown> {
  const doc = JSON.parse(stdout) as Record<string, unknown>;
  const validate = outputValidator('apply');
  expect(validate(doc), schemaErrors(validate)).toBe(true);
  return doc;
}

describe('roster apply --format json', () => {
  it('prints what was applied per address, then that there is nothing to do', async () => {
    const dir = copyExample('quickstart');
    const first = await roster(['apply', '--auto-approve', '--format', 'json'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const doc = documentOf(first.stdout);
    expect(doc).toMatchObject({ formatVersion: 1, outcome: 'complete', exitCode: 0, mode: 'normal' });
    const changes = doc.changes as Array<{ address: string; action: string; outcome: string; id?: string }>;
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.outcome === 'done' && c.id !== undefined)).toBe(true);
    expect((doc.counts as { done: number }).done).toBe(changes.length);
    // Progress stays on stderr: stdout is the document alone, without a terminal no N/M line.
    expect(first.stderr).toContain(`${changes[0]!.address}: ${changes[0]!.action}`);
    expect(first.stderr).not.toMatch(/\[\d+\/\d+\]/);

    const again = await roster(['apply', '--auto-approve', '--format', 'json'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(documentOf(again.stdout)).toMatchObject({ outcome: 'nothing-to-do', changes: [], exitCode: 0 });
  });

  it('lists the manual steps left to do and the runbook, exit 3', async () => {
    const dir = copyExample('autotask');
    const r = await roster(['apply', '--auto-approve', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(3);
    const doc = documentOf(r.stdout);
    expect(doc).toMatchObject({
      outcome: 'pending',
      exitCode: 3,
      runbook: path.join(dir, '.roster/runbook.md'),
    });
    const steps = doc.manualSteps as Array<{ address: string; operation: string; title: string }>;
    expect(steps.map((s) => s.operation)).toEqual(['create', 'create']);
    expect(steps[0]!.title).toContain('Office Protect Alerts (API)');
    const changes = doc.changes as Array<{ address: string; outcome: string }>;
    for (const s of steps) expect(changes.find((c) => c.address === s.address)?.outcome).toBe('pending');
  });

  it('says a plan that was not applied is invalid, with the diagnostics on stderr', async () => {
    const dir = copyExample('quickstart');
    const r = await roster(['apply', '--auto-approve', '--format', 'json', '--target', 'nope/User/x'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(documentOf(r.stdout)).toMatchObject({ outcome: 'invalid', exitCode: 1, changes: [] });
    expect(r.stderr).toContain('nope/User/x');
  });
});
