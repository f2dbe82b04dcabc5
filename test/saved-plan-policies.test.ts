import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { planChecksum, stableStringify } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { allFiles, copyExample, editFile } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// The attack (issue 16, item 7): without ROSTER_PLAN_KEY a saved plan is only checksummed. An
// attacker who can write the plan file between the plan job and the apply job sets
// `adminPrivileges: full`, empties `findings`, recomputes the checksum — and apply ran it after a
// warning, because it trusted the findings the file reported instead of running the policies.

const ACCOUNT = 'intacct-sandbox/ServiceAccount/invoice-portal';

interface PlanDoc {
  changes: Array<{ address: string; after: Record<string, unknown> | null }>;
  findings: unknown[];
  checksum?: string;
  signature?: string;
}

/** Rewrite a saved plan as an attacker would: edit, then fix up the checksum (the key is not theirs). */
function tamper(file: string, edit: (doc: PlanDoc) => void): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as PlanDoc;
  edit(doc);
  delete doc.checksum;
  delete doc.signature;
  writeFileSync(file, JSON.stringify({ ...doc, checksum: planChecksum(stableStringify(doc)) }, null, 2));
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(allFiles(dir).map((f) => [path.relative(dir, f), readFileSync(f, 'utf8')]));
}

describe('apply FILE runs the policies again over the changes as they stand', () => {
  it('refuses an unsigned plan edited to grant admin privileges, its findings emptied and checksum recomputed', async () => {
    const dir = copyExample('quickstart');
    const plan = await roster(['plan', '--out', 'plan.json', '--allow-empty-state'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(0);
    const file = path.join(dir, 'plan.json');
    tamper(file, (doc) => {
      const change = doc.changes.find((c) => c.address === ACCOUNT);
      expect(change?.after?.adminPrivileges).toBe('off');
      change!.after!.adminPrivileges = 'full';
      doc.findings = [];
    });
    const before = snapshot(path.join(dir, '.roster'));

    const r = await roster(['apply', 'plan.json'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain(
      `error: plan.json cannot be applied: checked again before applying, its changes are refused (the plan file reports none: it was edited, or made with other policies):\n  - ${ACCOUNT}: error[policy/intacct.web-services-admin]: web services user WS_INVOICE_PORTAL has adminPrivileges full`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Nothing applied: no state, the sandbox as it was.
    expect(existsSync(path.join(dir, '.roster/state.json'))).toBe(false);
    expect(snapshot(path.join(dir, '.roster'))).toEqual(before);
  });

  it('a finding excepted in the manifests: apply FILE checks the exception there (-f), signed plan or not', async () => {
    const dir = copyExample('quickstart');
    editFile(path.join(dir, 'service-accounts.yaml'), /adminPrivileges: off/, 'adminPrivileges: full');
    writeFileSync(
      path.join(dir, 'policy.yaml'),
      `apiVersion: roster/v1
kind: Policy
metadata: { name: exceptions }
spec:
  exceptions:
    - { rule: intacct.web-services-admin, address: "${ACCOUNT}", reason: vendor installer (SEC-142) }
`,
    );
    const key = { ROSTER_PLAN_KEY: 'saved-plan-policies-key-41c9e0' };
    expect(
      (await roster(['plan', '--out', 'plan.json', '--allow-empty-state'], { cwd: dir, env: key })).code,
    ).toBe(0);
    // Signed, but the exception lives in the manifests: without them apply cannot check it.
    const without = await roster(['apply', 'plan.json'], { cwd: dir, env: key });
    expect(without.code, without.stderr).toBe(1);
    expect(without.stderr).toContain(
      `${ACCOUNT}: error[policy/intacct.web-services-admin]: web services user WS_INVOICE_PORTAL has adminPrivileges full`,
    );
    expect(without.stderr).toContain('give apply the manifests that hold it with -f');
    expect(existsSync(path.join(dir, '.roster/state.json'))).toBe(false);
    const withManifests = await roster(['apply', 'plan.json', '-f', '.'], { cwd: dir, env: key });
    expect(withManifests.code, withManifests.stderr).toBe(0);
    expect(withManifests.stdout).toMatch(/created/);
  });
});
