import {
  bool,
  choice,
  credentials,
  int,
  type KindDefinition,
  list,
  obj,
  oneOf,
  type RunbookRequest,
  type RunbookStep,
  type SpecOf,
  secretPlace,
  spec,
  str,
} from '@roster/core';
import { ACCOUNT_REQUIREMENTS, GENERAL_REQUIREMENTS, GETINT_APPS, type GetintApp } from '../apps.js';
import { connectorPermissions } from '../permissions.js';

export const SYSTEM = 'Getint';
const CONNECTIONS = ['Workflows', 'Connections'];

/**
 * A Getint connection as a manifest declares it. Getint has no API to read a connection: every
 * attribute rests on a person's confirmation (`verifiable: false`, changed by hand).
 */
export const connectorSpec = spec(
  {
    name: str({ minLength: 1, maxLength: 200, doc: 'The connection name shown in Getint.', immutable: true }),
    app: choice(GETINT_APPS, {
      doc: 'The tool, as Getint documents it; other for anything else (nothing is claimed about it).',
      fixedAtCreation: true,
    }),
    url: str({
      maxLength: 2048,
      pattern: '^https://[^\\s]+[^/\\s]$',
      doc: 'The tool’s URL (https, no trailing /).',
    }),
    sharing: choice(['view', 'use', 'edit'], {
      default: 'view',
      doc: 'Team access: view (Getint’s default), use (needed to build integrations on it), edit.',
      privilege: true,
      absent: 'view',
    }),
    account: oneOf(
      [
        obj(
          {
            ref: str({ pattern: '^[^/]+/ServiceAccount/[^/]+$' }),
            output: str({ maxLength: 255 }),
          },
          { required: ['ref'] },
        ),
        obj(
          {
            external: obj(
              { system: str({ minLength: 1, maxLength: 255 }), user: str({ minLength: 1, maxLength: 255 }) },
              { required: ['system', 'user'] },
            ),
          },
          { required: ['external'] },
        ),
      ],
      {
        doc: 'The account the connection signs in as: a ServiceAccount roster manages elsewhere ({ref: provider/ServiceAccount/name}), or one it does not ({external: {system, user}}).',
        privilege: true,
      },
    ),
    syncs: list(
      obj({ object: str({ maxLength: 255 }), write: bool({ default: false }) }, { required: ['object'] }),
      {
        doc: 'What integrations on this connection read and write, e.g. {object: Service Desk › Tickets, write: true}.',
        set: true,
      },
    ),
    credentials: credentials(
      { secret: secretPlace(), rotateAfterDays: int({ minimum: 1 }) },
      {
        doc: 'Where the account’s token or password is kept (${env:…}/${file:…}), and how often it is rotated.',
      },
    ),
  },
  { required: ['name', 'app', 'url', 'account'], defaults: { verifiable: false, update: 'manual' } },
);

/** A Getint connection as a manifest declares it. */
export type ConnectorSpec = SpecOf<typeof connectorSpec>;

export const connectorKind: KindDefinition = {
  permissions: connectorPermissions,
  description: 'Getint connection: the account Getint signs in to one tool with. Made in Getint’s UI only.',
  schema: connectorSpec.schema,
  attributes: connectorSpec.attributes,
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
