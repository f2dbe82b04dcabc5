import type { RunbookRequest } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { connectorKind } from '../connector/index.js';
import { base, stepOf } from '../kinds.testing.js';

describe('Connector runbook', () => {
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
});
