import type { KindDefinition } from '@roster/core';
import type { ScimConnection } from '../../connection.js';
import {
  createServiceAccount,
  deleteServiceAccount,
  listServiceAccounts,
  readServiceAccount,
  updateServiceAccount,
} from './api.js';
import { checkServiceAccount } from './checks.js';
import { serviceAccountSpec } from './spec.js';
import { userKey } from './wire.js';

/** ServiceAccount: a SCIM User an integration signs in as. */
export const serviceAccountKind: KindDefinition<ScimConnection> = {
  role: 'account',
  description:
    'A SCIM User an integration signs in as (userName, displayName, emails, active, externalId, enterprise fields) and the Groups it is a member of. Removal deactivates it (active: false) unless lifecycle.onRemove is delete.',
  schema: serviceAccountSpec.schema,
  attributes: serviceAccountSpec.attributes,
  deleteMode: 'deactivate',
  onRemoveOptions: ['deactivate', 'delete'],
  deactivation: { attribute: 'active', value: false, activeValue: true },
  api: {
    list: listServiceAccounts,
    read: readServiceAccount,
    create: createServiceAccount,
    update: updateServiceAccount,
    delete: deleteServiceAccount,
  },
  untestable:
    'roster manages the SCIM user, not the application it signs in to: SCIM has no sign-in of its own',
  naturalKey: (spec) => userKey(String(spec.userName)),
  naturalKeyAttribute: 'userName',
  check: checkServiceAccount,
};
