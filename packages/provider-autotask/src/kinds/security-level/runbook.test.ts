import { describe, expect, it } from 'vitest';
import { requestOf, stepOf } from '../kinds.testing.js';
import { securityLevelKind } from './index.js';

const levelAttributes = {
  name: 'Office Protect Alerts (API)',
  copiedFrom: "API User (system) Can't Read Costs (API-only)",
  permissions: { 'Service Desk › Tickets': ['View', 'Add', 'Edit'], 'CRM › Account & Contact Access': 'All' },
  active: true,
};
const level = requestOf({
  kind: 'SecurityLevel',
  address: 'autotask-prod/SecurityLevel/alerts-api',
  name: 'alerts-api',
  naturalKey: 'Office Protect Alerts (API)',
  attributes: levelAttributes,
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
