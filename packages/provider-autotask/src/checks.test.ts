import { describe, expect, it } from 'vitest';
import { checkProvider } from './checks.js';
import { configSchema } from './config.js';
import { account, level, problems } from './kinds/kinds.testing.js';

describe('provider', () => {
  it('its configuration schema accepts sandbox and a zone URL', () => {
    expect(problems(configSchema, { type: 'autotask', endpoint: 'sandbox' })).toEqual([]);
    expect(
      problems(configSchema, { type: 'autotask', endpoint: 'https://webservices2.autotask.net' }),
    ).toEqual([]);
  });

  it('checks across resources: duplicates, unknown bases, inactive levels and what the vendor needs', () => {
    const res = (kind: string, name: string, spec: Record<string, unknown>) => ({
      address: `at/${kind}/${name}`,
      kind,
      name,
      labels: {},
      spec,
    });
    const r = checkProvider({
      provider: 'at',
      config: {},
      referenced: [],
      resources: [
        res('SecurityLevel', 'alerts-api', {
          ...level,
          active: false,
          permissions: { 'CRM › Account & Contact Access': 'Mine', 'Service Desk › Tickets': ['View'] },
        }),
        res('SecurityLevel', 'twin', { name: level.name.toUpperCase(), copiedFrom: 'Administrator' }),
        res('SecurityLevel', 'derived', { name: 'Derived', copiedFrom: level.name }),
        res('ServiceAccount', 'op', account),
        res('ServiceAccount', 'op2', {
          ...account,
          email: 'ALERTS@example.com',
          integrationVendor: 'Zapier',
        }),
      ],
    });
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.address, d.path])).toEqual([
      ['error', 'autotask.duplicate-security-level', 'at/SecurityLevel/twin', '/name'],
      ['warning', 'autotask.copied-from-unknown', 'at/SecurityLevel/twin', '/copiedFrom'],
      ['warning', 'autotask.inactive-security-level', 'at/ServiceAccount/op', '/securityLevel'],
      ['warning', 'autotask.vendor-permissions', 'at/ServiceAccount/op', '/securityLevel'],
      ['warning', 'autotask.vendor-permissions', 'at/ServiceAccount/op', '/securityLevel'],
      ['error', 'autotask.duplicate-email', 'at/ServiceAccount/op2', '/email'],
      ['warning', 'autotask.inactive-security-level', 'at/ServiceAccount/op2', '/securityLevel'],
    ]);
    expect(r.diagnostics[3]!.message).toBe(
      'Office Protect - Alert Integration needs CRM › Account & Contact Access: All, but security level Office Protect Alerts (API) gives Mine',
    );
    expect(r.diagnostics[4]!.message).toMatch(
      /Service Desk › Tickets: at least View, Add, Edit, .* gives View \(not Add, Edit, Delete\)$/,
    );
  });
});
