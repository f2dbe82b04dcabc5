import { CONNECTOR_ID_PATTERN, refSchema, SCHEMA_BASE } from '../common.js';

/** The `spec` of a Connector (app connector). */
export interface ConnectorSpec {
  description: string;
  group: { ref: string };
  getConnectors?: string[];
  updateConnectors?: string[];
  blocked?: boolean;
}

const connectorList = (what: string) => ({
  type: 'array',
  uniqueItems: true,
  description: `${what} the app connector includes (its second line of security); compared as a set.`,
  items: { type: 'string', pattern: CONNECTOR_ID_PATTERN, description: 'Connector id, e.g. Profit_Debtors.' },
});

export const connectorSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${SCHEMA_BASE}/Connector.schema.json`,
  title: 'AFAS Profit app connector',
  description:
    'An app connector (General › Management › App connector): the user group it allows, the connectors it includes, and whether it is blocked. Managed in the UI only; no API reads it.',
  type: 'object',
  additionalProperties: false,
  required: ['description', 'group'],
  properties: {
    description: {
      type: 'string',
      minLength: 1,
      maxLength: 80,
      description:
        "Description, as the app's users know it (the subject of the OTP e-mail). Identifies the app connector: a new description means a new app connector.",
    },
    group: refSchema(
      'The user group (a Group of the same provider) whose members may use the app connector.',
    ),
    getConnectors: connectorList('GetConnectors'),
    updateConnectors: connectorList('UpdateConnectors'),
    blocked: {
      type: 'boolean',
      description: 'Blocked: nobody can exchange data through it. A new app connector starts blocked.',
    },
  },
} as const;
