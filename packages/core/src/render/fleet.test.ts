import { describe, expect, it } from 'vitest';
import type { FleetRun } from '../fleet/run-fleet.js';
import type { TenantResult } from '../fleet/tenant-result.js';
import { tenantResult } from '../fleet/tenant-result.testing.js';
import { fleetDocument } from './fleet-json.js';
import { renderFleetMarkdown } from './fleet-markdown.js';
import { renderFleetText } from './fleet-text.js';

const result = (tenant: string, over: Partial<TenantResult> = {}): TenantResult =>
  tenantResult(tenant, {
    command: 'drift',
    alignment: { applicable: 3, aligned: 3, percent: 100 },
    finishedAt: '2026-12-07T00:00:00.000Z',
    ...over,
  });
const drifted = (tenant: string) =>
  result(tenant, {
    exitCode: 2,
    outcome: 'drift',
    drift: [
      {
        address: 'at/ServiceAccount/backup',
        kind: 'ServiceAccount',
        name: 'backup',
        resource: 'backup',
        status: 'changed',
        attribute: '/active',
        expected: true,
        actual: false,
      },
    ],
    drifted: 1,
    alignment: { applicable: 3, aligned: 2, percent: 66 },
  });

const run: FleetRun = {
  command: 'drift',
  fleet: 'msp',
  results: [
    drifted('acme'),
    result('empty', {
      command: 'plan',
      outcome: 'changes',
      changes: 1,
      planned: [{ address: 'at/ServiceAccount/backup', action: 'create', execution: 'manual' }],
      alignment: { applicable: 0, aligned: 0, percent: null },
    }),
    drifted('globex'),
    result('initech', {
      deviations: [
        {
          address: 'at/SecurityLevel/rmm-api',
          exclude: true,
          reason: 'no RMM',
          owner: 'noc',
          expires: '2026-01-01',
          expired: true,
          file: 'tenants/initech/dev.yaml',
          line: 4,
        },
      ],
      alignment: { applicable: 3, aligned: 2, percent: 66 },
    }),
  ],
  notRun: [],
  canary: [],
  diagnostics: [],
};

describe('fleet rendering', () => {
  it('text: one row per tenant, totals, drift by cause, deviations', () => {
    expect(renderFleetText(fleetDocument(run))).toMatchInlineSnapshot(`
      "TENANT   RESULT   CHANGES  MANUAL  BLOCKING  DRIFT  DEVIATIONS     ALIGNMENT
      acme     drift    0        0       0         1      0              66 %
      empty    changes  1        0       0         0      0              n/a
      globex   drift    0        0       0         1      0              66 %
      initech  ok       0        0       0         0      1 (1 expired)  66 %

      4 tenants: 1 change, 0 manual steps, 0 blocking findings, 2 drifted, 1 deviation (1 expired), 0 failed.

      Drift by cause:
        ServiceAccount backup active: true → false  (2 tenants: acme, globex)

      Deviations:
        initech: excludes at/SecurityLevel/rmm-api — no RMM (owner noc, expires 2026-01-01, EXPIRED; tenants/initech/dev.yaml:4)"
    `);
  });

  it('markdown: totals, red flags first, drift by cause, a folded section per tenant', () => {
    expect(renderFleetMarkdown(fleetDocument(run))).toMatchInlineSnapshot(`
      "### roster fleet drift: msp

      **4 tenants** · 1 change · 0 manual steps · 0 blocking findings · 2 drifted · 1 deviation (1 expired) · 0 failed

      #### Red flags

      - **acme**: 1 resource drifted
      - **globex**: 1 resource drifted
      - **initech**: 1 expired deviation (at/SecurityLevel/rmm-api)

      #### Drift by cause

      | cause | tenants |
      | --- | --- |
      | ServiceAccount backup active: true → false | 2: acme, globex |

      #### Tenants

      | tenant | result | changes | manual | blocking | drift | deviations | alignment |
      | --- | --- | ---: | ---: | ---: | ---: | --- | ---: |
      | acme | drift | 0 | 0 | 0 | 1 | 0 | 66 % |
      | empty | changes | 1 | 0 | 0 | 0 | 0 | n/a |
      | globex | drift | 0 | 0 | 0 | 1 | 0 | 66 % |
      | initech | ok | 0 | 0 | 0 | 0 | 1 (1 expired) | 66 % |

      <details>
      <summary>acme: drift, 0 changes, alignment 66 %</summary>

      - drift: \`at/ServiceAccount/backup\` /active

      </details>
      <details>
      <summary>globex: drift, 0 changes, alignment 66 %</summary>

      - drift: \`at/ServiceAccount/backup\` /active

      </details>
      <details>
      <summary>initech: ok, 0 changes, alignment 66 %</summary>

      - deviation: excludes \`at/SecurityLevel/rmm-api\`: no RMM (noc, expires 2026-01-01, **expired**)

      </details>
      <details>
      <summary>empty: changes, 1 change, alignment n/a</summary>

      - create (manual step): \`at/ServiceAccount/backup\`

      </details>
      "
    `);
  });

  it('markdown stays within its size budget, saying what it left out', () => {
    const many: FleetRun = {
      ...run,
      results: Array.from({ length: 400 }, (_, i) => drifted(`tenant-${String(i).padStart(3, '0')}`)),
    };
    const md = renderFleetMarkdown(fleetDocument(many), { limit: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/_…and \d+ more red flags: see the JSON output\._/);
    expect(md).toContain('| ServiceAccount backup active: true → false | 400: tenant-000, tenant-001');
    expect(md).toContain('tenant-019, … (380 more) |');
  });
});
