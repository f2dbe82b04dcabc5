import type { KindRunbook, RunbookRequest, RunbookStep } from '@roster/core';
import { ACCOUNT_REQUIREMENTS, GENERAL_REQUIREMENTS, type GetintApp } from './apps.js';
import type { ConnectorSpec } from './spec.js';

/** The product name operators know, for runbook steps. */
export const SYSTEM = 'Getint';
const CONNECTIONS = ['Workflows', 'Connections'];

function accountLine(account: unknown): string {
  const a = account as ConnectorSpec['account'] | undefined;
  if (!a) return '';
  if ('external' in a) return `${a.external.user} (${a.external.system}; not managed by roster)`;
  return a.output ? `the ${a.output} of ${a.ref}` : `the account of ${a.ref}`;
}

/** The fields of the connection dialog for `values`, in the order Getint shows them. */
function fields(values: Partial<ConnectorSpec>): RunbookStep['fields'] {
  return [
    values.app !== undefined && { label: 'App', value: String(values.app) },
    values.name !== undefined && { label: 'Connection name', value: String(values.name) },
    values.url !== undefined && { label: 'URL', value: String(values.url) },
    values.account !== undefined && { label: 'Account', value: accountLine(values.account) },
    values.sharing !== undefined && { label: 'Team access', value: String(values.sharing) },
  ].filter((f): f is { label: string; value: string } => Boolean(f));
}

/** What Getint documents the account of an external connection needs, for its tool. */
function requirements(req: RunbookRequest): string[] {
  const a = req.attributes as Partial<ConnectorSpec>;
  const external = a.account && 'external' in a.account;
  return external ? (ACCOUNT_REQUIREMENTS[(a.app ?? 'other') as GetintApp] ?? []) : [];
}

/** Removing a connection, whether the plan says deactivate or delete: Getint only deletes. */
function remove(req: RunbookRequest): RunbookStep {
  return {
    system: SYSTEM,
    title: `Delete the connection ${req.naturalKey}`,
    uiPath: [...CONNECTIONS, req.naturalKey, 'Delete'],
    fields: [],
    notes: ['Integrations that use the connection stop: remove or move them first.'],
  };
}

/**
 * The runbook steps of a connection (Getint: Workflows › Connections). Getint has no management
 * API, so every operation is one of these.
 */
export const connectorRunbook = {
  create(req) {
    const a = req.attributes as Partial<ConnectorSpec>;
    const name = req.naturalKey;
    return {
      system: SYSTEM,
      title: `Create the ${a.app ?? 'other'} connection ${name}`,
      uiPath: [...CONNECTIONS, 'Create connection'],
      fields: fields({ ...a, name, sharing: a.sharing ?? 'view' }),
      notes: [
        ...GENERAL_REQUIREMENTS,
        ...requirements(req),
        'Enter the account’s token or password from where the manifest’s credentials.secret points; never paste it anywhere else.',
        (a.sharing ?? 'view') === 'view'
          ? 'Team access View is Getint’s default: others can see the connection but not build integrations on it (that needs Use).'
          : `Set Team access to ${a.sharing} for the team that builds integrations on it.`,
      ],
    };
  },
  update(req) {
    return {
      system: SYSTEM,
      title: `Edit the connection ${req.naturalKey}`,
      uiPath: [...CONNECTIONS, req.naturalKey, 'Edit'],
      fields: fields(req.changes as Partial<ConnectorSpec>),
      notes: [
        ...(req.changes && ('account' in req.changes || 'url' in req.changes)
          ? [
              'Changing the URL or the account can break integrations using this connection: check project access first.',
            ]
          : []),
        ...requirements(req),
      ],
    };
  },
  rotate(req) {
    return {
      system: SYSTEM,
      title: `Enter the new token of the connection ${req.naturalKey}`,
      uiPath: [...CONNECTIONS, req.naturalKey, 'Edit'],
      fields: [{ label: 'Token / password', value: 'the new one, from where credentials.secret points' }],
      notes: [
        'First issue the new token in the account’s own system, and store it where credentials.secret points.',
      ],
    };
  },
  reconfirm(req) {
    const a = req.attributes as Record<string, unknown>;
    return {
      system: SYSTEM,
      title: `Confirm what Getint shows for the connection ${req.naturalKey}`,
      uiPath: [...CONNECTIONS, req.naturalKey],
      fields: fields(Object.fromEntries((req.reconfirm ?? Object.keys(a)).map((k) => [k, a[k]]))),
      notes: [
        'Compare each value with what Getint shows; change nothing. If a value differs, do not confirm.',
      ],
    };
  },
  deactivate: remove,
  delete: remove,
} satisfies KindRunbook;
