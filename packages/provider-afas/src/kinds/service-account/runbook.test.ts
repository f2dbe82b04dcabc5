import type { RunbookRequest } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { base, stepOf } from '../kinds.testing.js';
import { serviceAccountKind } from '../service-account/index.js';

describe('ServiceAccount runbook', () => {
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
