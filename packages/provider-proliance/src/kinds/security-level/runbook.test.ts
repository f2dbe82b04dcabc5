import type { KindRunbook } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { requestOf, runbookOf } from '../kinds.testing.js';
import { securityLevelRunbook } from './runbook.js';

const steps: KindRunbook = securityLevelRunbook;
const runbook = runbookOf(steps);

const roleAttributes = {
  name: 'Integration - Project Sync',
  description: 'Reads projects, updates costs',
  permissions: { Projects: ['Update', 'Read'], 'Cost Management': ['Read'] },
  securityPermissions: false,
};
const role = requestOf({
  kind: 'SecurityLevel',
  address: 'proliance/SecurityLevel/project-sync',
  name: 'project-sync',
  naturalKey: 'Integration - Project Sync',
  attributes: roleAttributes,
});

describe('security role runbook', () => {
  it('creates the role with every area and the Security Permissions choice', () => {
    expect(runbook(role({}))).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Name",
            "value": "Integration - Project Sync",
          },
          {
            "label": "Description",
            "value": "Reads projects, updates costs",
          },
          {
            "label": "Permissions › Projects",
            "value": "Read, Update",
          },
          {
            "label": "Permissions › Cost Management",
            "value": "Read",
          },
          {
            "label": "Permissions › Security Permissions",
            "value": "no rights (leave every right unchecked)",
          },
        ],
        "notes": [
          "Grant no rights on the permission areas not listed.",
          "Click Save.",
          "Then export the Staff, Contacts, Accounts and Security Roles registers again (CSV) to the files the provider's export setting names: roster verifies the step from them.",
        ],
        "system": "Proliance",
        "title": "Create security role 'Integration - Project Sync'",
        "uiPath": [
          "Administration work area",
          "Security Roles",
          "New",
        ],
      }
    `);
  });

  it('warns on a role that grants Security Permissions', () => {
    const step = runbook(role({ attributes: { ...roleAttributes, securityPermissions: true } }));
    expect(step.fields.at(-1)).toEqual({
      label: 'Permissions › Security Permissions',
      value: 'granted (Read, Create, Update, Delete)',
    });
    expect(step.notes).toContain(
      'This role grants Security Permissions: an integration account holding it can change its own role (for example to Administrator).',
    );
  });

  it('changes permissions, clearing the areas no longer listed, and renames', () => {
    expect(
      runbook(
        role({
          operation: 'update',
          naturalKey: 'Integration - Projects',
          changes: { name: 'Integration - Projects', permissions: { Projects: ['Read'] } },
          prior: roleAttributes,
        }),
      ),
    ).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "Name",
            "value": "Integration - Projects",
          },
          {
            "label": "Permissions › Projects",
            "value": "Read",
          },
          {
            "label": "Permissions › Cost Management",
            "value": "no rights",
          },
        ],
        "notes": [
          "The change applies at once to every account holding the role.",
          "Click Save.",
          "Then export the Staff, Contacts, Accounts and Security Roles registers again (CSV) to the files the provider's export setting names: roster verifies the step from them.",
        ],
        "system": "Proliance",
        "title": "Change security role 'Integration - Project Sync'",
        "uiPath": [
          "Administration work area",
          "Security Roles",
          "Integration - Project Sync",
          "Edit",
        ],
      }
    `);
  });

  it('deletes, once no account holds the role', () => {
    expect(runbook(role({ operation: 'delete' }))).toMatchInlineSnapshot(`
      {
        "fields": [],
        "notes": [
          "Proliance refuses to delete a role that accounts still hold: remove it from them first (roster plans those changes before this step).",
          "Then export the Staff, Contacts, Accounts and Security Roles registers again (CSV) to the files the provider's export setting names: roster verifies the step from them.",
        ],
        "system": "Proliance",
        "title": "Delete security role 'Integration - Project Sync'",
        "uiPath": [
          "Administration work area",
          "Security Roles",
          "Integration - Project Sync",
          "Delete",
        ],
      }
    `);
  });
});
