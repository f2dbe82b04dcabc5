import type { KindDefinition, ProviderCheckRequest, RunbookRequest, RunbookStep } from '@roster/core';
import { kindCapabilities, Secret } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config.js';
import provider from '../provider.js';
import { checkEffectiveAccess } from './access-check.js';
import { CODE_PATTERN } from './common.js';
import { connectorKind } from './connector/index.js';
import { groupKind } from './group/index.js';
import { serviceAccountKind } from './service-account/index.js';

/** The kind's runbook step for the request's operation, as core asks for it. */
function stepOf(def: KindDefinition, req: RunbookRequest): RunbookStep {
  const build = typeof def.runbook === 'object' ? def.runbook[req.operation] : undefined;
  if (!build) throw new Error(`no ${req.operation} step`);
  return build(req);
}

const token = Secret.pending('file:/repo/secrets/ws-invoice-sync.token');
const account = {
  userId: '12345.WS-INVOICE',
  email: 'ws-invoice@example.com',
  inSite: true,
  groups: [{ ref: 'invoice-app-users' }],
  connector: { ref: 'invoice-app' },
  credentials: { token, rotateAfterDays: 180 },
};

describe('ServiceAccount checks', () => {
  it("requires an e-mail address at /email, as roster's rule (AFAS does not)", () => {
    const { email: _e, ...spec } = account;
    expect(serviceAccountKind.check({ name: 'x', spec }).diagnostics).toEqual([
      {
        severity: 'error',
        code: 'afas.roster-email-required',
        path: '/email',
        message:
          "12345.WS-INVOICE needs an e-mail address (roster's rule, not AFAS's: AFAS accepts a user without one, but mails the one-time password of its OTP token flow to it)",
      },
    ]);
  });

  it('links the user to a person: an optional code of at most 15 characters (BcCo)', () => {
    const person = (serviceAccountKind.schema.properties as Record<string, Record<string, unknown>>).person;
    expect(person).toMatchObject({ type: 'string', minLength: 1, maxLength: 15 });
    expect(serviceAccountKind.schema.required).toEqual(['userId']);
    expect(serviceAccountKind.attributes.person?.description).toMatch(/BcCo/);
  });

  it('requires Profit Windows or InSite, pointing at the attribute that is off', () => {
    const at = (extra: Record<string, unknown>) =>
      serviceAccountKind
        .check({ name: 'x', spec: { ...account, inSite: undefined, ...extra } })
        .diagnostics.filter((d) => d.severity === 'error')
        .map((d) => [d.code, d.path]);
    expect(at({})).toEqual([['afas.application-required', '/inSite']]);
    expect(at({ inSite: false })).toEqual([['afas.application-required', '/inSite']]);
    expect(at({ windows: false, inSite: false })).toEqual([['afas.application-required', '/inSite']]);
    expect(at({ windows: false })).toEqual([['afas.application-required', '/windows']]);
    expect(at({ inSite: true })).toEqual([]);
  });

  it('notes Profit Windows access on an integration user', () => {
    const d = serviceAccountKind.check({ name: 'x', spec: { ...account, windows: true } }).diagnostics;
    expect(d).toEqual([
      expect.objectContaining({ severity: 'info', code: 'afas.windows-access', path: '/windows' }),
    ]);
  });

  it('declares its rules as data', () => {
    expect(serviceAccountKind.naturalKey(account)).toBe('12345.WS-INVOICE');
    expect(serviceAccountKind.attributes.userId?.immutable).toBe(true);
    expect(serviceAccountKind.attributes.connector).toMatchObject({
      ref: 'Connector',
      update: 'manual',
      verifiable: false,
      createValues: [null],
      createAs: null,
    });
    expect(serviceAccountKind.attributes.credentials).toMatchObject({ local: true });
    expect(serviceAccountKind.attributes.groups).toMatchObject({ ref: 'Group', set: true });
    expect(serviceAccountKind.deactivation).toEqual({
      attribute: 'blocked',
      value: true,
      activeValue: false,
    });
    expect(serviceAccountKind.onRemoveOptions).toEqual(['deactivate']);
    expect(kindCapabilities(serviceAccountKind)).toEqual({
      create: 'api',
      read: 'api',
      update: 'api',
      delete: 'none',
      rotate: 'manual',
    });
    expect(kindCapabilities(groupKind)).toEqual({
      create: 'manual',
      read: 'api',
      update: 'manual',
      delete: 'manual',
      rotate: 'none',
    });
    expect(kindCapabilities(connectorKind)).toEqual({
      create: 'manual',
      read: 'none',
      update: 'manual',
      delete: 'manual',
      rotate: 'none',
    });
    for (const rule of Object.values(connectorKind.attributes)) expect(rule.verifiable).toBe(false);
    expect(connectorKind.attributes.blocked).toMatchObject({ createValues: [true], createAs: true });
  });

  it('explains the KnUser steps of a group change', () => {
    expect(serviceAccountKind.updateSteps({ changed: ['groups', 'blocked'] })).toEqual([
      'groups added: KnUser PUT with MtCd 1 and GrId, one per group',
      'groups removed: KnUser cannot leave one group, so MtCd 0 (block, leave all groups), MtCd 1 with GrId per remaining group, then MtCd 6 (unblock): the account cannot exchange data for those seconds',
      'KnUser PUT with MtCd 2 (block) or MtCd 6 (unblock)',
    ]);
  });
});

describe('Connector checks', () => {
  it('warns about an app connector that includes no connectors', () => {
    const d = connectorKind.check({
      name: 'x',
      spec: { description: 'Empty', group: { ref: 'g' } },
    }).diagnostics;
    expect(d).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'afas.connector-empty', path: '/getConnectors' }),
    ]);
  });
});

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

describe('runbooks', () => {
  const base = { address: 'afas/X/y', name: 'y' };

  it('adds a user group in the Authorisation tool', () => {
    const req: RunbookRequest = {
      ...base,
      operation: 'create',
      kind: 'Group',
      naturalKey: 'INV-APP',
      attributes: { id: 'INV-APP', description: 'Invoice app users' },
    };
    expect(stepOf(groupKind, req)).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Group",
            "value": "INV-APP",
          },
          {
            "label": "Description",
            "value": "Invoice app users",
          },
          {
            "label": "Complete automatically",
            "value": "unchecked",
          },
        ],
        "notes": [
          "Click Finish.",
          "Do not add users on the Users in group tab: roster puts its ServiceAccounts in the group through the API (KnUser with GrId).",
          "Every member needs an e-mail address and Profit Windows or InSite enabled; roster checks this for its ServiceAccounts.",
        ],
        "system": "AFAS Profit",
        "title": "Add user group INV-APP",
        "uiPath": [
          "General",
          "Management",
          "Authorisation tool",
          "Group",
          "New",
        ],
      }
    `);
  });

  it('deletes a user group', () => {
    expect(
      stepOf(groupKind, { ...base, operation: 'delete', kind: 'Group', naturalKey: 'OLD', attributes: {} })
        .uiPath,
    ).toEqual([
      'General',
      'Management',
      'Authorisation tool',
      'Group maintenance',
      'OLD',
      'Actions',
      'Delete',
    ]);
  });

  it('adds an app connector, blocked, with its connector lists', () => {
    const req: RunbookRequest = {
      ...base,
      operation: 'create',
      kind: 'Connector',
      naturalKey: 'Invoice sync',
      attributes: {
        description: 'Invoice sync',
        group: { ref: 'INV-APP' },
        getConnectors: ['Profit_Debtors', 'Profit_Invoices'],
        updateConnectors: ['FbSales'],
        blocked: true,
      },
    };
    expect(stepOf(connectorKind, req)).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Description",
            "value": "Invoice sync",
          },
          {
            "label": "User group",
            "value": "INV-APP",
          },
          {
            "label": "GetConnectors (tab GetConnectors › New)",
            "value": "Profit_Debtors, Profit_Invoices",
          },
          {
            "label": "UpdateConnectors (tab UpdateConnectors › New)",
            "value": "FbSales",
          },
          {
            "label": "Blocked (tab General)",
            "value": "checked",
          },
        ],
        "notes": [
          "Click Finish after the user group: the properties open, with the tabs GetConnectors, UpdateConnectors and General.",
          "On the GetConnectors and UpdateConnectors tabs click New, select the check boxes of the connectors listed, and click Finish.",
          "A new app connector is blocked: leave Blocked checked. Unblocking is a separate step of the plan.",
          "Use the description the app’s users know: Profit uses it as the subject of the OTP e-mail.",
        ],
        "system": "AFAS Profit",
        "title": "Add app connector 'Invoice sync'",
        "uiPath": [
          "General",
          "Management",
          "App connector",
          "New",
        ],
      }
    `);
  });

  it('unblocks an app connector as its own step, and lists what a connector change adds and removes', () => {
    const attributes = {
      description: 'Invoice sync',
      group: { ref: 'INV-APP' },
      getConnectors: ['Profit_Debtors'],
      blocked: false,
    };
    const unblock = stepOf(connectorKind, {
      ...base,
      operation: 'update',
      kind: 'Connector',
      naturalKey: 'Invoice sync',
      attributes,
      changes: { blocked: false },
      prior: { ...attributes, blocked: true },
    });
    expect(unblock).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Blocked (tab General)",
            "value": "unchecked",
          },
        ],
        "notes": [
          "Unblocking lets every member of user group INV-APP with a token exchange data through it.",
          "Click OK.",
        ],
        "system": "AFAS Profit",
        "title": "Unblock app connector 'Invoice sync'",
        "uiPath": [
          "General",
          "Management",
          "App connector",
          "Invoice sync",
          "Properties",
        ],
      }
    `);
    const lists = stepOf(connectorKind, {
      ...base,
      operation: 'update',
      kind: 'Connector',
      naturalKey: 'Invoice sync',
      attributes,
      changes: { getConnectors: ['Profit_Debtors', 'Profit_Creditors'] },
      prior: { ...attributes, getConnectors: ['Profit_Debtors', 'Profit_Employees'] },
    });
    expect(lists.notes).toContain(
      'GetConnectors: add Profit_Creditors (New, select the check boxes); remove Profit_Employees.',
    );
  });

  it('issues a user token, shown once, stored where credentials.token points', () => {
    const req: RunbookRequest = {
      address: 'afas/ServiceAccount/ws-invoice-sync',
      name: 'ws-invoice-sync',
      operation: 'update',
      kind: 'ServiceAccount',
      naturalKey: '12345.WS-INVOICE',
      attributes: {
        userId: '12345.WS-INVOICE',
        groups: [{ ref: 'INV-APP' }],
        connector: { ref: 'Invoice sync' },
      },
      changes: { connector: { ref: 'Invoice sync' } },
      prior: { userId: '12345.WS-INVOICE', connector: null },
    };
    expect(stepOf(serviceAccountKind, req)).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "User",
            "value": "12345.WS-INVOICE",
          },
          {
            "label": "Description",
            "value": "roster: ws-invoice-sync",
          },
        ],
        "notes": [
          "The user must be a member of the user group linked to 'Invoice sync' (roster adds the membership through KnUser before this step).",
          "Click Next, then Copy: the token is shown only now. Click Finish.",
          "Store the token where credentials.token points, nowhere else; the integration then uses it in the header Authorization: AfasToken <Base64 of the token>.",
          "Alternatively the user requests the token through the OTP flow (POST /otprequest, then /otpvalidation with the e-mailed one-time password).",
        ],
        "secrets": [
          {
            "credential": "token",
            "label": "Token",
          },
        ],
        "system": "AFAS Profit",
        "title": "Add the user token of 12345.WS-INVOICE on app connector 'Invoice sync'",
        "uiPath": [
          "General",
          "Management",
          "App connector",
          "Invoice sync",
          "User tokens",
          "New",
        ],
      }
    `);
  });

  it('replaces a token by deleting the old one first', () => {
    const step = stepOf(serviceAccountKind, {
      address: 'afas/ServiceAccount/ws-invoice-sync',
      name: 'ws-invoice-sync',
      operation: 'update',
      kind: 'ServiceAccount',
      naturalKey: '12345.WS-INVOICE',
      attributes: { userId: '12345.WS-INVOICE', connector: { ref: 'Invoice sync v2' } },
      changes: { connector: { ref: 'Invoice sync v2' } },
      prior: { userId: '12345.WS-INVOICE', connector: { ref: 'Invoice sync' } },
    });
    expect(step.title).toBe("Replace the user token of 12345.WS-INVOICE on app connector 'Invoice sync v2'");
    expect(step.notes?.[0]).toBe(
      'First delete the current token of 12345.WS-INVOICE: General › Management › App connector › Invoice sync › User tokens, select it and delete it. A token cannot be shown again, so replacing one means deleting it and adding a new one.',
    );
    expect(step.secrets).toEqual([{ label: 'Token', credential: 'token' }]);
  });

  it('re-confirms an attested token', () => {
    const step = stepOf(serviceAccountKind, {
      ...base,
      operation: 'reconfirm',
      kind: 'ServiceAccount',
      naturalKey: 'WS',
      attributes: { connector: { ref: 'Invoice sync' } },
      reconfirm: ['connector'],
    });
    expect(step).toMatchObject({
      title: "Confirm that WS holds a token on app connector 'Invoice sync'",
      uiPath: ['General', 'Management', 'App connector', 'Invoice sync', 'User tokens'],
    });
    expect(step.secrets).toBeUndefined();
  });
});

/** Every property of every (sub)schema has a description; every object schema is closed. */
function walk(schema: unknown, where: string, problems: string[]): void {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  if (s.properties) {
    if (s.additionalProperties !== false) problems.push(`${where}: additionalProperties is not false`);
    for (const [k, v] of Object.entries(s.properties as Record<string, Record<string, unknown>>)) {
      if (typeof v.description !== 'string') problems.push(`${where}/${k}: no description`);
      walk(v, `${where}/${k}`, problems);
    }
  }
  if (s.items) walk(s.items, `${where}[]`, problems);
}

describe('schemas', () => {
  it.each([
    ['ServiceAccount', serviceAccountKind.schema],
    ['Group', groupKind.schema],
    ['Connector', connectorKind.schema],
    ['Provider', configSchema],
  ])('%s is a closed draft 2020-12 schema with a description on every property', (kind, schema) => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`https://roster.dev/schemas/afas/${kind}.schema.json`);
    const problems: string[] = [];
    walk(schema, kind, problems);
    expect(problems).toEqual([]);
  });

  it('keeps codes free of the filter separators , and ;', () => {
    const pattern = new RegExp(CODE_PATTERN);
    expect(pattern.test('INV-APP')).toBe(true);
    expect(pattern.test('A,B')).toBe(false);
    expect(pattern.test(' A')).toBe(false);
    expect(groupKind.schema).toMatchObject({ properties: { id: { pattern: CODE_PATTERN } } });
    expect(serviceAccountKind.schema).toMatchObject({ properties: { userId: { pattern: CODE_PATTERN } } });
    expect(pattern.test('12345.WS-INVOICE')).toBe(true);
  });
});
