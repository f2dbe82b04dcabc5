import { describe, expect, it } from 'vitest';
import { project, roster } from './helpers.js';

describe('roster providers', () => {
  it('lists each kind with how each operation is done and what is verified', async () => {
    const r = await roster(['providers'], { cwd: project({}) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('intacct — Sage Intacct');
    expect(r.stdout).toMatch(
      /ServiceAccount: .*\n\s+operations: create: api, read: api, update: api, delete: api; removal: deactivate \(status: "inactive"\); natural key: id/,
    );
    expect(r.stdout).toMatch(/- id: verified, changed by api \[immutable\]/);
    expect(r.stdout).toMatch(/- status: verified, changed by api \[createValues: "active"\|"locked"\]/);
    const json = await roster(['providers', '--format', 'json'], { cwd: project({}) });
    const info = JSON.parse(json.stdout) as Array<{ type: string; kinds: Array<{ kind: string }> }>;
    expect(info[0]!.kinds.map((k) => k.kind).sort()).toEqual(['Group', 'SecurityLevel', 'ServiceAccount']);
  });
});
