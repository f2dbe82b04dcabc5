import type { CheckedResource, ProviderCheckRequest } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { checkConnections } from './checks.js';

const labels = { owner: 'platform', purpose: 'sync' };
const connector = (spec: Record<string, unknown>, extra: Partial<CheckedResource> = {}): CheckedResource => ({
  address: 'getint/Connector/c',
  kind: 'Connector',
  name: 'c',
  labels,
  spec: { name: 'C', app: 'jira', url: 'https://x.atlassian.net', ...spec },
  ...extra,
});
const run = (
  resources: CheckedResource[],
  referenced: ProviderCheckRequest['referenced'] = [],
  config = {},
) =>
  checkConnections({ provider: 'getint', config, resources, referenced }).diagnostics.map(
    (d) => `${d.severity} ${d.code} ${d.path}: ${d.message}`,
  );

const account = (spec: Record<string, unknown>, l: Record<string, string> = labels) => ({
  address: 'at/ServiceAccount/bot',
  kind: 'ServiceAccount',
  name: 'bot',
  labels: l,
  provider: 'at',
  providerType: 'autotask',
  spec: {
    email: 'alerts@example.com',
    securityLevel: { ref: 'lvl' },
    credentials: { rotateAfterDays: 90 },
    ...spec,
  },
});
const level = (permissions: Record<string, unknown>) => ({
  address: 'at/SecurityLevel/lvl',
  kind: 'SecurityLevel',
  name: 'lvl',
  labels: {},
  provider: 'at',
  providerType: 'autotask',
  spec: { name: 'Alerts', permissions },
});

describe('Getint connection checks', () => {
  it('accepts a dedicated external account with rotation and labels', () => {
    expect(
      run([
        connector({
          account: { external: { system: 'jira', user: 'getint-sync@example.com' } },
          credentials: { rotateAfterDays: 90 },
        }),
      ]),
    ).toEqual([]);
  });

  it('refuses a personal account, unless declared an exception', () => {
    const c = connector({
      account: { external: { system: 'jira', user: 'Jane.Doe@example.com' } },
      credentials: { rotateAfterDays: 30 },
    });
    expect(run([c])).toEqual([
      'error getint.personal-account /account/external/user: Jane.Doe@example.com looks like a person’s own account: a Getint connection must sign in as a dedicated service account (declare it in serviceAccountExceptions if it is one)',
    ]);
    expect(run([c], [], { serviceAccountExceptions: ['jane.doe@example.com'] })).toEqual([]);
    expect(run([c], [], { personalMailboxPattern: '^nobody@' })).toEqual([]);
  });

  it('warns for missing labels and a missing rotation period', () => {
    expect(
      run([
        connector({ account: { external: { system: 'jira', user: 'sync@example.com' } } }, { labels: {} }),
      ]),
    ).toEqual([
      'warning getint.labels /name: connection C has no labels.owner or labels.purpose: document who owns it and what it is for',
      'warning getint.rotation /account: the credentials of sync@example.com have no rotation period: set credentials.rotateAfterDays',
    ]);
  });

  it('checks that a managed account may create and update what the connection syncs', () => {
    const c = connector({
      account: { ref: 'at/ServiceAccount/bot', output: 'username' },
      syncs: [{ object: 'Service Desk › Tickets', write: true }, { object: 'CRM › Contacts' }],
    });
    expect(run([c], [account({}), level({ 'Service Desk › Tickets': ['View', 'Add', 'Edit'] })])).toEqual([]);
    expect(run([c], [account({}), level({ 'service desk › tickets': 'All' })])).toEqual([]);
    expect(run([c], [account({}), level({ 'Service Desk › Tickets': ['View'] })])).toEqual([
      'warning getint.permissions /syncs/0: at/ServiceAccount/bot may not create and update Service Desk › Tickets (no add and edit on it in at/SecurityLevel/lvl): integrations on this connection will fail to write',
    ]);
    expect(run([c], [account({ securityLevel: undefined })])).toEqual([
      'info getint.permissions-unknown /syncs/0: cannot check whether at/ServiceAccount/bot may create and update Service Desk › Tickets: its security level or roles are not declared with permissions roster can read',
    ]);
  });

  it('asks the managed account for labels and a rotation period too', () => {
    const c = connector({ account: { ref: 'at/ServiceAccount/bot' } });
    expect(run([c], [account({ credentials: {} }, {}), level({})])).toEqual([
      'warning getint.labels /account/ref: at/ServiceAccount/bot has no labels.owner or labels.purpose: document the account the connection uses',
      'warning getint.rotation /account/ref: at/ServiceAccount/bot has no credentials.rotateAfterDays: its credentials are never rotated',
    ]);
    expect(run([connector({ account: { ref: 'at/ServiceAccount/ghost' } })])).toEqual([
      'error getint.account /account/ref: at/ServiceAccount/ghost is not a declared ServiceAccount',
    ]);
  });
});
