import { describe, expect, it } from 'vitest';
import { fake, lines, tree } from '../manifest/fixtures.testing.js';
import { loadFleet } from './load-fleet.js';
import { openTenantProject } from './tenant-project.js';

const FLEET = 'apiVersion: roster/v1\nkind: Fleet\nmetadata: { name: f }\n';
const BASELINE = `apiVersion: roster/v1
kind: Provider
metadata: { name: f }
spec: { type: fake }
---
apiVersion: roster/v1
kind: SecurityLevel
metadata: { name: "level-\${tenant.name}", provider: f }
spec: { name: "Level \${tenant.code}", permissions: [read, write] }
---
apiVersion: roster/v1
kind: Group
metadata: { name: gold-only, provider: f, tenants: { tier: gold } }
spec: { name: Gold }
`;
const tenant = (name: string, extra = '') =>
  `apiVersion: roster/v1\nkind: Tenant\nmetadata: { name: ${name}, labels: { tier: silver } }\nspec:\n  variables: { code: ${name.toUpperCase()} }\n${extra}`;

async function open(files: Record<string, string>, name = 'acme') {
  const dir = tree({ 'fleet.yaml': FLEET, 'baseline/b.yaml': BASELINE, ...files });
  const fleet = await loadFleet({ dir: '.', cwd: dir });
  expect(lines(fleet.diagnostics)).toEqual([]);
  const t = fleet.tenants.find((x) => x.name === name)!;
  return openTenantProject({ fleet, tenant: t, providers: [fake], now: new Date('2026-12-07T00:00:00Z') });
}

describe('openTenantProject', () => {
  it("derives the tenant's project: placeholders filled, a selector's resource skipped, its own documents added", async () => {
    const { project, documents } = await open({
      'tenants/acme/tenant.yaml': tenant('acme'),
      'tenants/acme/own.yaml':
        'apiVersion: roster/v1\nkind: Group\nmetadata: { name: own, provider: f }\nspec: { name: "Own ${tenant.code}" }\n',
    });
    expect(lines(project.diagnostics)).toEqual([]);
    expect(project.desired.map((d) => [d.address, d.spec.name])).toEqual([
      ['f/SecurityLevel/level-acme', 'Level ACME'],
      ['f/Group/own', 'Own ACME'],
    ]);
    expect(documents.applicable).toEqual(['f/SecurityLevel/level-acme']);
    expect(documents.skipped).toEqual(['f/Group/gold-only']);
    expect(documents.baselineNames).toEqual({ 'f/SecurityLevel/level-acme': 'level-${tenant.name}' });
    expect(project.stateDir.endsWith('/.roster/tenants/acme')).toBe(true);
  });

  it("places an error in a value a deviation or tenant.yaml supplied at that file's line", async () => {
    const { project, documents } = await open({
      'tenants/acme/tenant.yaml': tenant('acme', '  providers:\n    f: { endpoint: 42 }\n'),
      'tenants/acme/dev.yaml':
        'kind: SecurityLevel\nmetadata: { name: level-acme }\ndeviation: { reason: r, owner: o, expires: "2027-01-01" }\nspec:\n  permissions: [read, read]\n',
    });
    expect(documents.deviations).toMatchObject([{ address: 'f/SecurityLevel/level-acme', exclude: false }]);
    const shown = lines(project.diagnostics).map((l) => l.replace(/: error\[manifest\.schema\]: .*/, ''));
    expect(shown).toEqual(['tenants/acme/dev.yaml:5:16', 'tenants/acme/tenant.yaml:7:20']);
  });

  it('refuses a deviation naming no applicable baseline resource, and a Provider the baseline lacks', async () => {
    const { project } = await open({
      'tenants/acme/tenant.yaml': tenant('acme', '  providers:\n    nope: { endpoint: x }\n'),
      'tenants/acme/dev.yaml':
        'kind: Group\nmetadata: { name: gold-only }\ndeviation: { reason: r, owner: o, expires: "2027-01-01" }\nexclude: true\n',
    });
    expect(lines(project.diagnostics)).toEqual([
      "tenants/acme/dev.yaml:2:19: error[fleet.deviation]: no baseline Group named gold-only applies to this tenant: a deviation changes or excludes a baseline resource (the tenant's own resources need no deviation)",
      'tenants/acme/tenant.yaml:7:5: error[fleet.tenant]: the baseline has no Provider document named nope',
    ]);
  });
});
