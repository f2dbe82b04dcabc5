import type { KindRunbook, RunbookRequest, RunbookStep } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { securityLevelKind } from './security-level/index.js';
import { serviceAccountKind } from './service-account/index.js';

/** The kind's runbook step for the request's operation; a kind without one has no manual step for it. */
function stepOf(runbook: KindRunbook, req: RunbookRequest): RunbookStep {
  const step = runbook[req.operation];
  if (!step) throw new Error(`no ${req.operation} step`);
  return step(req);
}

const accountAttributes = {
  email: 'alerts@example.com',
  securityLevel: { ref: 'Office Protect Alerts (API)' },
  integrationVendor: 'Office Protect - Alert Integration',
  active: true,
  locked: false,
};
const account = (extra: Partial<RunbookRequest>): RunbookRequest => ({
  operation: 'create',
  kind: 'ServiceAccount',
  address: 'autotask-prod/ServiceAccount/office-protect',
  name: 'office-protect',
  naturalKey: 'alerts@example.com',
  attributes: accountAttributes,
  ...extra,
});
const levelAttributes = {
  name: 'Office Protect Alerts (API)',
  copiedFrom: "API User (system) Can't Read Costs (API-only)",
  permissions: { 'Service Desk › Tickets': ['View', 'Add', 'Edit'], 'CRM › Account & Contact Access': 'All' },
  active: true,
};
const level = (extra: Partial<RunbookRequest>): RunbookRequest => ({
  operation: 'create',
  kind: 'SecurityLevel',
  address: 'autotask-prod/SecurityLevel/alerts-api',
  name: 'alerts-api',
  naturalKey: 'Office Protect Alerts (API)',
  attributes: levelAttributes,
  ...extra,
});

describe('API user runbook', () => {
  it('creates the API user per the vendor procedure, the secret named as shown once', () => {
    expect(stepOf(serviceAccountKind.runbook, account({}))).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "First Name",
            "value": "office-protect",
          },
          {
            "label": "Last Name",
            "value": "API",
          },
          {
            "label": "Email Address",
            "value": "alerts@example.com",
          },
          {
            "label": "Active",
            "value": "checked",
          },
          {
            "label": "Locked",
            "value": "unchecked",
          },
          {
            "label": "Security Level",
            "value": "Office Protect Alerts (API)",
          },
          {
            "label": "Username (Key)",
            "value": "click Generate Key",
          },
          {
            "label": "Password (Secret)",
            "value": "click Generate Secret",
          },
          {
            "label": "API Tracking Identifier",
            "value": "Integration Vendor",
          },
          {
            "label": "Integration Vendor",
            "value": "Office Protect - Alert Integration",
          },
        ],
        "notes": [
          "The Integration Vendor cannot be changed once the API user is saved: another vendor later means a new API user with new credentials.",
          "Copy the Password (Secret) before saving: Autotask shows it only in this form, never again.",
          "Keep the API Tracking Identifier the integration sends (its vendor supplies it; for Custom (Internal Integration), copy the one Autotask generates): Autotask refuses this API user any other ApiIntegrationCode.",
          "Leave the other fields (Primary Internal Location, Line of Business) at your company's defaults.",
          "Click Save & Close.",
          "Give the Username (Key) and the secret to Office Protect - Alert Integration when it asks for its Autotask connection.",
        ],
        "secrets": [
          {
            "credential": "secret",
            "label": "Password (Secret)",
          },
          {
            "credential": "integrationCode",
            "label": "API Tracking Identifier",
          },
        ],
        "system": "Autotask PSA",
        "title": "Create the API user alerts@example.com for office-protect",
        "uiPath": [
          "Admin",
          "Account Settings & Users",
          "Resources/Users",
          "+ New",
          "New API User",
        ],
      }
    `);
  });

  it('edits the security level and the lock by hand', () => {
    expect(
      stepOf(
        serviceAccountKind.runbook,
        account({
          operation: 'update',
          changes: { securityLevel: { ref: 'Alerts (restricted)' }, locked: false },
          prior: { email: 'alerts@example.com', active: true },
        }),
      ),
    ).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Locked",
            "value": "unchecked",
          },
          {
            "label": "Security Level",
            "value": "Alerts (restricted)",
          },
        ],
        "notes": [
          "In the list of resources, find alerts@example.com (an API user) and open it for editing.",
          "The Security Level list shows only active API-only security levels.",
          "Unchecking Locked lets the integration sign in again.",
          "Click Save & Close.",
        ],
        "system": "Autotask PSA",
        "title": "Edit the API user alerts@example.com: Security Level, Locked",
        "uiPath": [
          "Admin",
          "Account Settings & Users",
          "Resources/Users",
          "alerts@example.com",
        ],
      }
    `);
  });

  it('asks to confirm again what the API cannot read', () => {
    expect(
      stepOf(
        serviceAccountKind.runbook,
        account({ operation: 'reconfirm', reconfirm: ['securityLevel', 'integrationVendor'] }),
      ),
    ).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Security Level",
            "value": "Office Protect Alerts (API)",
          },
          {
            "label": "Integration Vendor",
            "value": "Office Protect - Alert Integration",
          },
        ],
        "notes": [
          "In the list of resources, find alerts@example.com (an API user) and open it for editing.",
          "Compare each value above with what Autotask shows (the Integration Vendor is under API Tracking Identifier); change nothing.",
          "If a value differs, do not confirm: correct the API user or the manifest first.",
        ],
        "system": "Autotask PSA",
        "title": "Confirm what Autotask shows for the API user alerts@example.com",
        "uiPath": [
          "Admin",
          "Account Settings & Users",
          "Resources/Users",
          "alerts@example.com",
        ],
      }
    `);
  });

  it('deactivates rather than deletes', () => {
    const step = stepOf(serviceAccountKind.runbook, account({ operation: 'deactivate' }));
    expect(step.fields).toEqual([{ label: 'Active', value: 'unchecked' }]);
    expect(step.notes?.[1]).toMatch(/never deletes resources/);
  });
});

describe('security level runbook', () => {
  it('copies the API-user level and sets name, active and each permission', () => {
    expect(stepOf(securityLevelKind.runbook, level({}))).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Copy of (context menu › Copy Security Level)",
            "value": "API User (system) Can't Read Costs (API-only)",
          },
          {
            "label": "Name",
            "value": "Office Protect Alerts (API)",
          },
          {
            "label": "Active",
            "value": "checked",
          },
          {
            "label": "CRM › Account & Contact Access",
            "value": "All",
          },
          {
            "label": "Service Desk › Tickets",
            "value": "View, Add, Edit (not Delete)",
          },
        ],
        "notes": [
          "On the row of API User (system) Can't Read Costs (API-only), open the context menu and choose Copy Security Level; enter the values above in the copy.",
          "Permissions not listed keep what the copy brought from API User (system) Can't Read Costs (API-only).",
          "A list of rights means exactly those: the rights it leaves out are unchecked.",
          "Click Save & Close.",
        ],
        "system": "Autotask PSA",
        "title": "Create the security level Office Protect Alerts (API) as a copy of API User (system) Can't Read Costs (API-only)",
        "uiPath": [
          "Admin",
          "Account Settings & Users",
          "Resources/Users",
          "Security",
          "Security Levels",
        ],
      }
    `);
  });

  it('lists only the permissions that change', () => {
    expect(
      stepOf(
        securityLevelKind.runbook,
        level({
          operation: 'update',
          changes: {
            permissions: {
              'Service Desk › Tickets': ['View', 'Add', 'Edit', 'Delete'],
              'CRM › Account & Contact Access': 'All',
            },
          },
          prior: levelAttributes,
        }),
      ),
    ).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Service Desk › Tickets",
            "value": "View, Add, Edit, Delete",
          },
        ],
        "notes": [
          "Open the security level Office Protect Alerts (API) (context menu › Edit Security Level).",
          "Leave every other permission as it is.",
          "Click Save & Close.",
        ],
        "system": "Autotask PSA",
        "title": "Edit the security level Office Protect Alerts (API)",
        "uiPath": [
          "Admin",
          "Account Settings & Users",
          "Resources/Users",
          "Security",
          "Security Levels",
          "Office Protect Alerts (API)",
        ],
      }
    `);
  });

  it('deactivates and reconfirms', () => {
    expect(
      stepOf(securityLevelKind.runbook, level({ operation: 'deactivate', prior: levelAttributes })).fields,
    ).toEqual([{ label: 'Active', value: 'unchecked' }]);
    expect(
      stepOf(
        securityLevelKind.runbook,
        level({ operation: 'reconfirm', reconfirm: ['permissions', 'copiedFrom'] }),
      ).fields,
    ).toMatchInlineSnapshot(`
      [
        {
          "label": "CRM › Account & Contact Access",
          "value": "All",
        },
        {
          "label": "Service Desk › Tickets",
          "value": "View, Add, Edit (not Delete)",
        },
        {
          "label": "Copied from",
          "value": "API User (system) Can't Read Costs (API-only) (Autotask does not show it: nothing to check)",
        },
      ]
    `);
  });
});
