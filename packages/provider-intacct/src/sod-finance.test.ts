import { describe, expect, it } from 'vitest';
import { SANDBOX_PERMISSIONS } from './permission-data/catalogue.js';
import { intacctFinanceSod } from './sod-finance.js';

describe('the finance SoD pack (Intacct part)', () => {
  // Every name a role can grant: `<module>/<name>: <access right>`, as permissions.ts names them.
  const grantable = SANDBOX_PERMISSIONS.flatMap((e) =>
    e.allowedAccessRights.map((r) => `${e.module}/${e.name}: ${r}`),
  );

  it("names only permissions Intacct's catalogue has, each pattern matching at least one", () => {
    for (const rule of intacctFinanceSod.rules) {
      expect(rule.system).toBe('intacct');
      for (const pattern of rule.permissions) {
        const re = new RegExp(
          `^${pattern
            .split('*')
            .map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
            .join('.*')}$`,
        );
        expect(grantable.filter((n) => re.test(n)).length, `${rule.id}: ${pattern}`).toBeGreaterThan(0);
      }
    }
  });

  it('has unique rule ids, a reason and a source each', () => {
    const ids = intacctFinanceSod.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of intacctFinanceSod.rules) expect(r.reason.length * r.source.length).toBeGreaterThan(0);
  });
});
