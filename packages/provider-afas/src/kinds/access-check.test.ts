import type { ProviderCheckRequest } from '@roster/core';
import { describe, expect, it } from 'vitest';
import provider from '../provider.js';
import { checkEffectiveAccess } from './access-check.js';
import { account } from './kinds.testing.js';

describe('effective access (Provider.check)', () => {
  const group = {
    address: 'afas/Group/invoice-app-users',
    kind: 'Group',
    name: 'invoice-app-users',
    labels: {},
    spec: { id: 'INV-APP', description: 'Invoice app users' },
  };
  const connector = (extra: Record<string, unknown> = {}) => ({
    address: 'afas/Connector/invoice-app',
    kind: 'Connector',
    name: 'invoice-app',
    labels: {},
    spec: {
      description: 'Invoice sync',
      group: { ref: 'invoice-app-users' },
      getConnectors: ['Profit_Debtors'],
      blocked: false,
      ...extra,
    },
  });
  const sa = (extra: Record<string, unknown> = {}) => ({
    address: 'afas/ServiceAccount/ws-invoice-sync',
    kind: 'ServiceAccount',
    name: 'ws-invoice-sync',
    labels: {},
    spec: { ...account, ...extra },
  });
  const run = (resources: ProviderCheckRequest['resources']) =>
    checkEffectiveAccess({ provider: 'afas', config: {}, resources, referenced: [] }).diagnostics.map(
      (d) => `${d.severity} ${d.code} ${d.path}: ${d.message}`,
    );

  it('is silent when the user is a member, holds a token and the app connector is unblocked', () => {
    expect(run([group, connector(), sa()])).toEqual([]);
    expect(provider.check).toBe(checkEffectiveAccess);
  });

  it('warns when the user is not in the linked group', () => {
    expect(run([group, connector(), sa({ groups: [] })])).toEqual([
      "warning afas.access-not-in-group /groups: 12345.WS-INVOICE cannot exchange data: it is not a member of user group INV-APP, which app connector 'Invoice sync' is linked to (add { ref: invoice-app-users } to groups)",
    ]);
  });

  it('counts everyone as a member of the all-users group', () => {
    const everybody = { ...group, spec: { id: 'Everybody', description: 'All Profit users' } };
    expect(run([everybody, connector(), sa({ groups: [] })])).toEqual([]);
  });

  it('warns when the app connector is blocked, or does not say it is not (a new one starts blocked)', () => {
    expect(run([group, connector({ blocked: true }), sa()])).toEqual([
      "warning afas.access-connector-blocked /connector: 12345.WS-INVOICE cannot exchange data: app connector 'Invoice sync' is blocked (blocked: true on afas/Connector/invoice-app)",
    ]);
    expect(run([group, connector({ blocked: undefined }), sa()])).toEqual([
      "warning afas.access-connector-blocked /connector: 12345.WS-INVOICE cannot exchange data: app connector 'Invoice sync' does not declare blocked: false, and a new app connector starts blocked",
    ]);
  });

  it('warns when the user holds no token, or has nowhere to keep one', () => {
    expect(run([group, connector(), sa({ connector: undefined })])).toEqual([
      'warning afas.access-no-token /connector: 12345.WS-INVOICE cannot exchange data: it holds no token for any app connector (set connector to the app connector it uses)',
    ]);
    expect(run([group, connector(), sa({ credentials: undefined })])).toEqual([
      'warning afas.access-no-token /credentials: 12345.WS-INVOICE cannot exchange data: no credentials.token names where its token is stored; AFAS shows a token once, so give it a place (${env:…} or ${file:…})',
    ]);
  });

  it('names every failing condition, and notes a deliberately blocked user', () => {
    expect(run([group, connector({ blocked: true }), sa({ groups: [], blocked: true })])).toEqual([
      'info afas.access-user-blocked /blocked: 12345.WS-INVOICE cannot exchange data: the user is blocked',
      "warning afas.access-connector-blocked /connector: 12345.WS-INVOICE cannot exchange data: app connector 'Invoice sync' is blocked (blocked: true on afas/Connector/invoice-app)",
      "warning afas.access-not-in-group /groups: 12345.WS-INVOICE cannot exchange data: it is not a member of user group INV-APP, which app connector 'Invoice sync' is linked to (add { ref: invoice-app-users } to groups)",
    ]);
  });
});
