import type { AttributeRule, KindDefinition, RunbookRequest, RunbookStep } from '@roster/core';
import { ACCOUNT_REQUIREMENTS, GENERAL_REQUIREMENTS, GETINT_APPS, type GetintApp } from '../apps.js';
import { connectorPermissions } from '../permissions.js';

export const SYSTEM = 'Getint';
const CONNECTIONS = ['Workflows', 'Connections'];

/** A Getint connection as a manifest declares it. */
export interface ConnectorSpec {
  name: string;
  app: GetintApp;
  url: string;
  sharing?: 'view' | 'use' | 'edit';
  account: { ref: string; output?: string } | { external: { system: string; user: string } };
  /** What the integrations on this connection create or update (checked against the account's rights). */
  syncs?: Array<{ object: string; write?: boolean }>;
  credentials?: Record<string, unknown>;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'app', 'url', 'account'],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'The connection name shown in Getint.',
    },
    app: {
      enum: [...GETINT_APPS],
      description: 'The tool, as Getint documents it; other for anything else (nothing is claimed about it).',
    },
    url: {
      type: 'string',
      maxLength: 2048,
      pattern: '^https://[^\\s]+[^/\\s]$',
      description: 'The tool’s URL (https, no trailing /).',
    },
    sharing: {
      enum: ['view', 'use', 'edit'],
      default: 'view',
      description: 'Team access: view (Getint’s default), use (needed to build integrations on it), edit.',
    },
    account: {
      description:
        'The account the connection signs in as: a ServiceAccount roster manages elsewhere ({ref: provider/ServiceAccount/name}), or one it does not ({external: {system, user}}).',
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['ref'],
          properties: {
            ref: { type: 'string', pattern: '^[^/]+/ServiceAccount/[^/]+$' },
            output: { type: 'string', maxLength: 255 },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['external'],
          properties: {
            external: {
              type: 'object',
              additionalProperties: false,
              required: ['system', 'user'],
              properties: {
                system: { type: 'string', minLength: 1, maxLength: 255 },
                user: { type: 'string', minLength: 1, maxLength: 255 },
              },
            },
          },
        },
      ],
    },
    syncs: {
      type: 'array',
      description:
        'What integrations on this connection read and write, e.g. {object: Service Desk › Tickets, write: true}.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['object'],
        properties: {
          object: { type: 'string', maxLength: 255 },
          write: { type: 'boolean', default: false },
        },
      },
    },
    credentials: {
      type: 'object',
      additionalProperties: false,
      description:
        'Where the account’s token or password is kept (${env:…}/${file:…}), and how often it is rotated.',
      properties: {
        secret: { type: 'string' },
        rotateAfterDays: { type: 'integer', minimum: 1 },
      },
    },
  },
};

// Getint has no API to read a connection: every attribute rests on a person's confirmation.
const attested = (rule: AttributeRule = {}): AttributeRule => ({
  verifiable: false,
  update: 'manual',
  ...rule,
});

export const connectorKind: KindDefinition = {
  permissions: connectorPermissions,
  description: 'Getint connection: the account Getint signs in to one tool with. Made in Getint’s UI only.',
  schema,
  attributes: {
    name: attested({ immutable: true }),
    app: attested({ fixedAtCreation: true }),
    url: attested(),
    sharing: attested({ privilege: true, absent: 'view' }),
    account: attested({ privilege: true }),
    syncs: attested({ set: true }),
    credentials: { local: true },
  },
  role: 'connector',
  deleteMode: 'delete',
  capabilities: { create: 'manual', read: 'none', update: 'manual', delete: 'manual' },
  rotate: 'manual',
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
  updateSteps: ({ changed }) =>
    changed.includes('account') || changed.includes('url')
      ? [
          'Changing the URL or the account of a connection can break the integrations that use it (Getint docs): check that the new account can reach the same projects before saving.',
        ]
      : [],
  runbook: connectorRunbook,
};

function accountLine(account: unknown): string {
  const a = account as ConnectorSpec['account'] | undefined;
  if (!a) return '';
  if ('external' in a) return `${a.external.user} (${a.external.system}; not managed by roster)`;
  return a.output ? `the ${a.output} of ${a.ref}` : `the account of ${a.ref}`;
}

/** The runbook step of a manual operation on a connection (Getint: Workflows › Connections). */
export function connectorRunbook(req: RunbookRequest): RunbookStep {
  const a = req.attributes as Partial<ConnectorSpec>;
  const name = req.naturalKey;
  const app = (a.app ?? 'other') as GetintApp;
  const external = a.account && 'external' in a.account;
  const requirements = external ? (ACCOUNT_REQUIREMENTS[app] ?? []) : [];
  const fields = (values: Partial<ConnectorSpec>) =>
    [
      values.app !== undefined && { label: 'App', value: String(values.app) },
      values.name !== undefined && { label: 'Connection name', value: String(values.name) },
      values.url !== undefined && { label: 'URL', value: String(values.url) },
      values.account !== undefined && { label: 'Account', value: accountLine(values.account) },
      values.sharing !== undefined && { label: 'Team access', value: String(values.sharing) },
    ].filter((f): f is { label: string; value: string } => Boolean(f));
  switch (req.operation) {
    case 'create':
      return {
        system: SYSTEM,
        title: `Create the ${app} connection ${name}`,
        uiPath: [...CONNECTIONS, 'Create connection'],
        fields: [...fields({ ...a, name, sharing: a.sharing ?? 'view' })],
        notes: [
          ...GENERAL_REQUIREMENTS,
          ...requirements,
          'Enter the account’s token or password from where the manifest’s credentials.secret points; never paste it anywhere else.',
          (a.sharing ?? 'view') === 'view'
            ? 'Team access View is Getint’s default: others can see the connection but not build integrations on it (that needs Use).'
            : `Set Team access to ${a.sharing} for the team that builds integrations on it.`,
        ],
      };
    case 'update':
      return {
        system: SYSTEM,
        title: `Edit the connection ${name}`,
        uiPath: [...CONNECTIONS, name, 'Edit'],
        fields: fields(req.changes as Partial<ConnectorSpec>),
        notes: [
          ...(req.changes && ('account' in req.changes || 'url' in req.changes)
            ? [
                'Changing the URL or the account can break integrations using this connection: check project access first.',
              ]
            : []),
          ...requirements,
        ],
      };
    case 'rotate':
      return {
        system: SYSTEM,
        title: `Enter the new token of the connection ${name}`,
        uiPath: [...CONNECTIONS, name, 'Edit'],
        fields: [{ label: 'Token / password', value: 'the new one, from where credentials.secret points' }],
        notes: [
          'First issue the new token in the account’s own system, and store it where credentials.secret points.',
        ],
      };
    case 'reconfirm':
      return {
        system: SYSTEM,
        title: `Confirm what Getint shows for the connection ${name}`,
        uiPath: [...CONNECTIONS, name],
        fields: fields(
          Object.fromEntries(
            (req.reconfirm ?? Object.keys(a)).map((k) => [k, (a as Record<string, unknown>)[k]]),
          ),
        ),
        notes: [
          'Compare each value with what Getint shows; change nothing. If a value differs, do not confirm.',
        ],
      };
    case 'deactivate':
    case 'delete':
      return {
        system: SYSTEM,
        title: `Delete the connection ${name}`,
        uiPath: [...CONNECTIONS, name, 'Delete'],
        fields: [],
        notes: ['Integrations that use the connection stop: remove or move them first.'],
      };
  }
}
