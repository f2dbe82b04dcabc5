import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPlanFile, writePlanFile } from './plan-file.js';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';

const plan = {
  formatVersion: PLAN_FORMAT_VERSION,
  mode: 'normal',
  lineage: 'L-1',
  serial: 3,
  createdAt: '2025-01-01T00:00:00.000Z',
  summary: { create: 1, update: 0, replace: 0, deactivate: 0, delete: 0, rotate: 0, import: 0, manual: 0 },
  changes: [{ address: 'p/ServiceAccount/a', action: 'create', after: { adminPrivileges: 'off' } }],
  diagnostics: [],
} as unknown as Plan;

const KEY = 'plan-job-and-apply-job-secret';

function saved(): string {
  return join(mkdtempSync(join(tmpdir(), 'roster-planfile-')), 'plan.json');
}

/** Change one value of the saved document, as someone editing the file between review and apply would. */
function tamper(file: string, fix?: (doc: Record<string, unknown>) => void): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  (doc['changes'] as Array<{ after: Record<string, unknown> }>)[0]!.after['adminPrivileges'] = 'full';
  fix?.(doc);
  writeFileSync(file, JSON.stringify(doc));
}

describe('saved plan files', () => {
  it('with a key: written with an hmac-sha256 signature (mode 0600), read back with the same key, no warning', async () => {
    const file = saved();
    await writePlanFile(file, plan, { key: KEY });
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(doc['signature']).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(doc['checksum']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const warnings: string[] = [];
    const read = await readPlanFile(file, { key: KEY, warn: (m) => warnings.push(m) });
    expect(read.changes).toEqual(plan.changes);
    expect(read).not.toHaveProperty('signature');
    expect(warnings).toEqual([]);
  });

  it('refuses a tampered signed plan, even when the tamperer recomputed the checksum', async () => {
    const file = saved();
    await writePlanFile(file, plan, { key: KEY });
    const { planChecksum } = await import('./plan-signature.js');
    const { stableStringify } = await import('./canonical.js');
    tamper(file, (doc) => {
      const { checksum: _c, signature: _s, ...rest } = doc;
      doc['checksum'] = planChecksum(stableStringify(rest));
    });
    await expect(readPlanFile(file, { key: KEY })).rejects.toThrow(
      'failed its signature check: it was modified after it was saved, or signed with another ROSTER_PLAN_KEY',
    );
  });

  it('refuses a plan signed with another key', async () => {
    const file = saved();
    await writePlanFile(file, plan, { key: 'another-key' });
    await expect(readPlanFile(file, { key: KEY })).rejects.toThrow('failed its signature check');
  });

  it('with a key, refuses an unsigned plan (the signature cannot just be removed)', async () => {
    const file = saved();
    await writePlanFile(file, plan, { key: undefined });
    await expect(readPlanFile(file, { key: KEY })).rejects.toThrow(
      'is not signed, but ROSTER_PLAN_KEY is set: refusing a plan that cannot be authenticated',
    );
    const signed = saved();
    await writePlanFile(signed, plan, { key: KEY });
    const doc = JSON.parse(readFileSync(signed, 'utf8')) as Record<string, unknown>;
    delete doc['signature'];
    writeFileSync(signed, JSON.stringify(doc));
    await expect(readPlanFile(signed, { key: KEY })).rejects.toThrow('is not signed');
  });

  it('without a key: only a checksum, verified, and a warning that the plan is not authenticated', async () => {
    const file = saved();
    await writePlanFile(file, plan, { key: undefined });
    expect(JSON.parse(readFileSync(file, 'utf8'))).not.toHaveProperty('signature');
    const warnings: string[] = [];
    await readPlanFile(file, { key: undefined, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      expect.stringContaining('is not authenticated: only its checksum was verified'),
    ]);
    tamper(file);
    await expect(readPlanFile(file, { key: undefined, warn: () => {} })).rejects.toThrow('checksum mismatch');
  });

  it('without a key, a signed plan is checked by checksum and the warning says the signature was not', async () => {
    const file = saved();
    await writePlanFile(file, plan, { key: KEY });
    const warnings: string[] = [];
    await readPlanFile(file, { key: undefined, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringContaining('is signed, but ROSTER_PLAN_KEY is not set')]);
  });
});
