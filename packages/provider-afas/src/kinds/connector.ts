import type { CheckRequest, CheckResult, KindDefinition, RunbookRequest, RunbookStep } from '@roster/core';
import {
  CONNECTOR_ID_PATTERN,
  checkBox,
  compact,
  listValue,
  refName,
  refSchema,
  SCHEMA_BASE,
  SYSTEM,
} from './common.js';

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

const schema = {
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

const APP_CONNECTOR = ['General', 'Management', 'App connector'];

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** What a connector list change adds and removes, for the operator. */
function listDelta(label: string, before: unknown, after: unknown): string | undefined {
  const b = new Set(list(before).map((x) => x.toLowerCase()));
  const a = new Set(list(after).map((x) => x.toLowerCase()));
  const added = list(after).filter((x) => !b.has(x.toLowerCase()));
  const removed = list(before).filter((x) => !a.has(x.toLowerCase()));
  if (added.length === 0 && removed.length === 0) return undefined;
  return `${label}: ${compact([
    added.length > 0 && `add ${added.join(', ')} (New, select the check boxes)`,
    removed.length > 0 && `remove ${removed.join(', ')}`,
  ]).join('; ')}.`;
}

/** The runbook step for a manual operation on an app connector (AFAS's "Add your own app connector"). */
export function connectorRunbook(req: RunbookRequest): RunbookStep {
  const a = req.attributes;
  const description = req.naturalKey;
  switch (req.operation) {
    case 'create':
      return {
        system: SYSTEM,
        title: `Add app connector '${description}'`,
        uiPath: [...APP_CONNECTOR, 'New'],
        fields: [
          { label: 'Description', value: description },
          { label: 'User group', value: refName(a.group) ?? '' },
          { label: 'GetConnectors (tab GetConnectors › New)', value: listValue(list(a.getConnectors)) },
          {
            label: 'UpdateConnectors (tab UpdateConnectors › New)',
            value: listValue(list(a.updateConnectors)),
          },
          { label: 'Blocked (tab General)', value: checkBox(true) },
        ],
        notes: [
          'Click Finish after the user group: the properties open, with the tabs GetConnectors, UpdateConnectors and General.',
          'On the GetConnectors and UpdateConnectors tabs click New, select the check boxes of the connectors listed, and click Finish.',
          'A new app connector is blocked: leave Blocked checked. Unblocking is a separate step of the plan.',
          'Use the description the app’s users know: Profit uses it as the subject of the OTP e-mail.',
        ],
      };
    case 'update': {
      const c = req.changes ?? {};
      const prior = req.prior ?? {};
      const fields = compact([
        'description' in c && { label: 'Description (tab General)', value: str(c.description) },
        'group' in c && { label: 'User group (tab General)', value: refName(c.group) ?? '' },
        'getConnectors' in c && {
          label: 'GetConnectors (tab GetConnectors)',
          value: listValue(list(c.getConnectors)),
        },
        'updateConnectors' in c && {
          label: 'UpdateConnectors (tab UpdateConnectors)',
          value: listValue(list(c.updateConnectors)),
        },
        'blocked' in c && { label: 'Blocked (tab General)', value: checkBox(c.blocked) },
      ]);
      const notes = compact([
        'getConnectors' in c && listDelta('GetConnectors', prior.getConnectors, c.getConnectors),
        'updateConnectors' in c && listDelta('UpdateConnectors', prior.updateConnectors, c.updateConnectors),
        c.blocked === false &&
          `Unblocking lets every member of user group ${refName(a.group) ?? '?'} with a token exchange data through it.`,
        c.blocked === true && 'Blocking stops every user of this app connector at once.',
        'group' in c && 'Users of the old group lose access; their tokens stay but no longer work.',
        'Click OK.',
      ]);
      const shown = str(prior.description) || description;
      return {
        system: SYSTEM,
        title:
          c.blocked === false && Object.keys(c).length === 1
            ? `Unblock app connector '${shown}'`
            : `Change app connector '${shown}'`,
        uiPath: [...APP_CONNECTOR, shown, 'Properties'],
        fields,
        notes,
      };
    }
    case 'delete':
    case 'deactivate':
      return {
        system: SYSTEM,
        title: `Delete app connector '${description}'`,
        uiPath: [...APP_CONNECTOR, description, 'Delete'],
        fields: [],
        notes: ['Every user token of this app connector stops working.'],
      };
    case 'rotate':
      throw new Error('rotate: this kind holds no credentials');
    case 'reconfirm': {
      const check = new Set(req.reconfirm ?? Object.keys(a));
      return {
        system: SYSTEM,
        title: `Confirm app connector '${description}'`,
        uiPath: [...APP_CONNECTOR, description, 'Properties'],
        fields: compact([
          check.has('group') && { label: 'User group (tab General)', value: refName(a.group) ?? '' },
          check.has('getConnectors') && {
            label: 'GetConnectors (tab GetConnectors)',
            value: listValue(list(a.getConnectors)),
          },
          check.has('updateConnectors') && {
            label: 'UpdateConnectors (tab UpdateConnectors)',
            value: listValue(list(a.updateConnectors)),
          },
          check.has('blocked') && { label: 'Blocked (tab General)', value: checkBox(a.blocked) },
        ]),
        notes: [
          'No API reads app connectors: check each value in the UI and confirm (the periodic access review).',
        ],
      };
    }
  }
}

function check(req: CheckRequest): CheckResult {
  const s = req.spec as Partial<ConnectorSpec>;
  const diagnostics: CheckResult['diagnostics'] = [];
  if (list(s.getConnectors).length === 0 && list(s.updateConnectors).length === 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'afas.connector-empty',
      message: `app connector '${s.description}' includes no GetConnectors or UpdateConnectors: its users can exchange no data`,
      path: '/getConnectors',
    });
  }
  return { diagnostics };
}

/**
 * An AFAS Profit app connector. Everything about it is done in Profit's UI, and no API reads it
 * (`/MetaInfo` shows only the caller's own app connector): every attribute rests on attestation.
 * A new one starts blocked, so `blocked: false` is planned as a create (blocked) and an unblock.
 */
export const connectorKind = {
  schema,
  description: 'App connector: the user group and connectors an external application may use (UI only).',
  attributes: {
    description: {
      fixedAtCreation: true,
      verifiable: false,
      description:
        'Identifies the app connector; a new description means a new app connector (and new tokens).',
    },
    group: {
      ref: 'Group',
      verifiable: false,
      privilege: true,
      description: 'The user group allowed to use it.',
    },
    getConnectors: {
      set: true,
      verifiable: false,
      privilege: true,
      absent: [],
      description: 'GetConnectors it includes.',
    },
    updateConnectors: {
      set: true,
      verifiable: false,
      privilege: true,
      absent: [],
      description: 'UpdateConnectors it includes.',
    },
    blocked: {
      createValues: [true],
      createAs: true,
      verifiable: false,
      description: 'Blocked; a new app connector starts blocked, so unblocking is its own step.',
    },
  },
  role: 'connector',
  deleteMode: 'delete',
  capabilities: { create: 'manual', read: 'none', update: 'manual', delete: 'manual' },
  naturalKey: (spec) => String(spec.description),
  naturalKeyAttribute: 'description',
  check,
  runbook: connectorRunbook,
} satisfies KindDefinition;
