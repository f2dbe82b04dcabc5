import { describe, expect, it } from 'vitest';
import { requestOf, stepOf } from '../kinds.testing.js';
import { serviceAccountKind } from './index.js';

const accountAttributes = {
  email: 'alerts@example.com',
  securityLevel: { ref: 'Office Protect Alerts (API)' },
  integrationVendor: 'Office Protect - Alert Integration',
  active: true,
  locked: false,
};
const account = requestOf({
  kind: 'ServiceAccount',
  address: 'autotask-prod/ServiceAccount/office-protect',
  name: 'office-protect',
  naturalKey: 'alerts@example.com',
  attributes: accountAttributes,
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
