import { describe, expect, it } from 'vitest';
import type { SodReport, SodReportEntry } from '../sod/report.js';
import { renderSodText } from './sod.js';

const conflict = (address: string, extra: Partial<SodReportEntry> = {}): SodReportEntry => ({
  pack: 'finance',
  version: 1,
  rule: 'ap-vendor-payment',
  system: 'intacct',
  address,
  held: [
    { pattern: 'accountsPayable/vendors: add', permissions: ['accountsPayable/vendors: add'] },
    { pattern: 'accountsPayable/payBills: add', permissions: ['accountsPayable/payBills: add'] },
  ],
  reason: 'one account could create a vendor and pay it',
  severity: 'error',
  message: `${address} holds accountsPayable/vendors: add and accountsPayable/payBills: add together: …`,
  file: 'accounts.yaml',
  line: 4,
  column: 9,
  ...extra,
});

const report = (conflicts: SodReportEntry[]): SodReport => ({
  formatVersion: 1,
  packs: [{ id: 'finance', version: 1, rules: 8, severity: 'error' }],
  conflicts,
  diagnostics: [],
});

describe('renderSodText', () => {
  it('prints each conflict as a diagnostic line, an excepted one as info with its reason, then the count', () => {
    expect(
      renderSodText(
        report([
          conflict('intacct-prod/ServiceAccount/ap'),
          conflict('intacct-prod/ServiceAccount/legacy', {
            excepted: { reason: 'retired in FIN-12', file: 'policy.yaml', line: 9 },
          }),
        ]),
        { color: false },
      ),
    ).toMatchInlineSnapshot(`
      "SoD packs: finance v1 (8 rules, error)

      accounts.yaml:4:9: error[sod.finance/ap-vendor-payment]: intacct-prod/ServiceAccount/ap holds accountsPayable/vendors: add and accountsPayable/payBills: add together: …
      accounts.yaml:4:9: info[sod.finance/ap-vendor-payment]: intacct-prod/ServiceAccount/legacy holds accountsPayable/vendors: add and accountsPayable/payBills: add together: … (excepted at policy.yaml:9: retired in FIN-12)

      1 conflict (and 1 excepted)."
    `);
  });

  it('says when there is none', () => {
    expect(renderSodText(report([]), { color: false })).toMatchInlineSnapshot(`
      "SoD packs: finance v1 (8 rules, error)

      No conflicts."
    `);
  });
});
