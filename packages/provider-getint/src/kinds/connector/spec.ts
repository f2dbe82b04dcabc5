import {
  bool,
  choice,
  credentials,
  int,
  list,
  obj,
  oneOf,
  type SpecOf,
  secretPlace,
  spec,
  str,
} from '@roster/core';
import { GETINT_APPS } from './apps.js';

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
