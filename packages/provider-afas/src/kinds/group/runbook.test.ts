import type { RunbookRequest } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { groupKind } from '../group/index.js';
import { base, stepOf } from '../kinds.testing.js';

describe('Group runbook', () => {
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
});
