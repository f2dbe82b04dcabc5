import { describe, expect, it } from 'vitest';
import { connectorRunbook } from './runbook.js';

describe('Getint Connector', () => {
  it('spells out, for an external Jira account, what Getint documents it needs', () => {
    const step = connectorRunbook.create({
      operation: 'create',
      kind: 'Connector',
      address: 'getint/Connector/jira',
      name: 'jira',
      naturalKey: 'Jira Cloud',
      attributes: {
        name: 'Jira Cloud',
        app: 'jira',
        url: 'https://example.atlassian.net',
        sharing: 'use',
        account: { external: { system: 'jira', user: 'getint-sync@example.com' } },
      },
    });
    expect(step).toMatchInlineSnapshot(`
      {
        "fields": [
          {
            "label": "App",
            "value": "jira",
          },
          {
            "label": "Connection name",
            "value": "Jira Cloud",
          },
          {
            "label": "URL",
            "value": "https://example.atlassian.net",
          },
          {
            "label": "Account",
            "value": "getint-sync@example.com (jira; not managed by roster)",
          },
          {
            "label": "Team access",
            "value": "use",
          },
        ],
        "notes": [
          "The account is dedicated to this integration, never a person’s own.",
          "It can read, create and update the items the integrations sync (admin access is recommended, not required).",
          "Its credentials are kept secret and rotated.",
          "Use an Atlassian-native service account (admin.atlassian.com › Directory › Service accounts) with the Jira user role, and an API token for it (1–365 days).",
          "Atlassian Guard service accounts are not supported by Getint; OAuth 2.0 is not supported yet.",
          "Connection: the Jira URL without a trailing /, the account e-mail and the API token.",
          "Enter the account’s token or password from where the manifest’s credentials.secret points; never paste it anywhere else.",
          "Set Team access to use for the team that builds integrations on it.",
        ],
        "system": "Getint",
        "title": "Create the jira connection Jira Cloud",
        "uiPath": [
          "Workflows",
          "Connections",
          "Create connection",
        ],
      }
    `);
  });
});
