import { bool, list, ref, type SpecOf, spec, str } from '@roster/core';
import { CONNECTOR_ID_PATTERN, SCHEMA_BASE } from '../common.js';

/** GetConnectors or UpdateConnectors the app connector includes, compared as a set. */
const connectorList = (what: string, summary: string) =>
  list(str({ pattern: CONNECTOR_ID_PATTERN, doc: 'Connector id, e.g. Profit_Debtors.' }), {
    uniqueItems: true,
    doc: `${what} the app connector includes (its second line of security); compared as a set.`,
    set: true,
    privilege: true,
    absent: [],
    summary,
  });

/**
 * An app connector, declared once: the JSON Schema of its `spec`, its attribute rules and its
 * type. No API reads app connectors, so every attribute rests on attestation (`verifiable: false`).
 */
export const connectorSpec = spec(
  {
    description: str({
      minLength: 1,
      maxLength: 80,
      doc: "Description, as the app's users know it (the subject of the OTP e-mail). Identifies the app connector: a new description means a new app connector.",
      fixedAtCreation: true,
      summary: 'Identifies the app connector; a new description means a new app connector (and new tokens).',
    }),
    group: ref('Group', {
      doc: 'The user group (a Group of the same provider) whose members may use the app connector.',
      privilege: true,
      summary: 'The user group allowed to use it.',
    }),
    getConnectors: connectorList('GetConnectors', 'GetConnectors it includes.'),
    updateConnectors: connectorList('UpdateConnectors', 'UpdateConnectors it includes.'),
    blocked: bool({
      doc: 'Blocked: nobody can exchange data through it. A new app connector starts blocked.',
      createValues: [true],
      createAs: true,
      summary: 'Blocked; a new app connector starts blocked, so unblocking is its own step.',
    }),
  },
  {
    required: ['description', 'group'],
    defaults: { verifiable: false },
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE}/Connector.schema.json`,
    title: 'AFAS Profit app connector',
    doc: 'An app connector (General › Management › App connector): the user group it allows, the connectors it includes, and whether it is blocked. Managed in the UI only; no API reads it.',
  },
);

/** The `spec` of a Connector (app connector). */
export type ConnectorSpec = SpecOf<typeof connectorSpec>;
