import type { KindRunbook } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { requestOf, runbookOf } from '../kinds.testing.js';
import { serviceAccountRunbook } from './runbook.js';

const steps: KindRunbook = serviceAccountRunbook;
const runbook = runbookOf(steps);

const accountAttributes = {
  owner: { staff: 'S-1002' },
  accountName: 'procore-sync',
  securityCategory: 'Integration',
  roles: [{ ref: 'Integration - Project Sync' }],
  systemIntegration: { externalSystem: 'Procore', externalAccount: 'svc-proliance@procore.example' },
  active: true,
};
const account = requestOf({
  kind: 'ServiceAccount',
  address: 'proliance/ServiceAccount/procore-sync',
  name: 'procore-sync',
  naturalKey: 'staff:S-1002',
  attributes: accountAttributes,
});

describe('integration account runbook', () => {
  it('creates the account per the seed procedure: Organization work area › Staff › Account page › Edit › Create Account', () => {
    expect(runbook(account({}))).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Account Name",
            "value": "procore-sync",
          },
          {
            "label": "System Integration › External System",
            "value": "Procore",
          },
          {
            "label": "System Integration › External Account",
            "value": "svc-proliance@procore.example",
          },
          {
            "label": "Security › Security Category",
            "value": "Integration",
          },
          {
            "label": "Security › Security Roles",
            "value": "Integration - Project Sync",
          },
          {
            "label": "Active",
            "value": "checked",
          },
        ],
        "notes": [
          "Staff member S-1002 must exist and be active (roster checked the export when planning). If not, create the staff member first (Organization work area › Staff › New), export the registers again and plan again.",
          "Integration accounts can only be created from the Organization work area.",
          "Open the Staff register (or the Staff tab) from the Organization work area, select the document of staff member S-1002 and click the Account page. Click Edit; next to the Account Type field click Create Account and select Integration Account in the Edit User Account dialog box.",
          "Complete the dialog box, expand the System Integration category, then the Security category (security category, then add the security roles), and click Save.",
          "An integration account cannot log on to Proliance: it has no password to set or store, and roster test does not apply to it.",
          "Give it only roles without Security Permissions: otherwise the external account can change its own role (for example to Administrator).",
          "Then export the Staff, Contacts, Accounts and Security Roles registers again (CSV) to the files the provider's export setting names: roster verifies the step from them.",
        ],
        "system": "Proliance",
        "title": "Create the integration account of staff member S-1002",
        "uiPath": [
          "Organization work area",
          "Staff",
          "S-1002",
          "Account page",
          "Edit",
          "Create Account",
          "Integration Account",
        ],
      }
    `);
  });

  it('on a contact, goes through the Contacts register', () => {
    const step = runbook(
      account({
        naturalKey: 'contact:C-2001',
        attributes: { ...accountAttributes, owner: { contact: 'C-2001' } },
      }),
    );
    expect(step.title).toBe('Create the integration account of contact C-2001');
    expect(step.uiPath).toEqual([
      'Organization work area',
      'Contacts',
      'C-2001',
      'Account page',
      'Edit',
      'Create Account',
      'Integration Account',
    ]);
    expect(step.notes![0]).toContain('create the contact first (Organization work area › Contacts › New)');
  });

  it('changes only what the plan changes, naming the roles added and removed', () => {
    expect(
      runbook(
        account({
          operation: 'update',
          changes: { roles: [{ ref: 'Reader' }], securityCategory: 'External' },
          prior: { ...accountAttributes },
        }),
      ),
    ).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Security › Security Category",
            "value": "External",
          },
          {
            "label": "Security › Security Roles",
            "value": "Reader",
          },
        ],
        "notes": [
          "Open the Staff register (or the Staff tab) from the Organization work area, select the document of staff member S-1002 and click the Account page. Click Edit.",
          "Security roles: add Reader; remove Integration - Project Sync.",
          "Give it only roles without Security Permissions: otherwise the external account can change its own role (for example to Administrator).",
          "Click Save.",
          "Then export the Staff, Contacts, Accounts and Security Roles registers again (CSV) to the files the provider's export setting names: roster verifies the step from them.",
        ],
        "system": "Proliance",
        "title": "Change the integration account of staff member S-1002 (procore-sync)",
        "uiPath": [
          "Organization work area",
          "Staff",
          "S-1002",
          "Account page",
          "Edit",
        ],
      }
    `);
  });

  it('deactivates on removal; delete is a deactivation too', () => {
    expect(runbook(account({ operation: 'deactivate', prior: accountAttributes }))).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Active",
            "value": "unchecked",
          },
        ],
        "notes": [
          "Open the Staff register (or the Staff tab) from the Organization work area, select the document of staff member S-1002 and click the Account page. Click Edit.",
          "An inactive integration account can no longer exchange data with the external application.",
          "Click Save.",
          "Then export the Staff, Contacts, Accounts and Security Roles registers again (CSV) to the files the provider's export setting names: roster verifies the step from them.",
        ],
        "system": "Proliance",
        "title": "Deactivate the integration account of staff member S-1002",
        "uiPath": [
          "Organization work area",
          "Staff",
          "S-1002",
          "Account page",
          "Edit",
        ],
      }
    `);
    // Proliance accounts are deactivated, never deleted: there is no delete step.
    expect(steps.delete).toBeUndefined();
  });

  it('has nothing to rotate: the account cannot log on', () => {
    expect(steps.rotate).toBeUndefined();
  });
});
