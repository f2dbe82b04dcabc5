import type { KindDefinition } from '@roster/core';
import type { AfasConnection } from '../../connection.js';
import { serviceAccountPermissions } from '../../permissions.js';
import { serviceAccountApi } from './api.js';
import { checkServiceAccount, serviceAccountUpdateSteps } from './checks.js';
import { serviceAccountRunbook } from './runbook.js';
import { serviceAccountSpec } from './spec.js';

/**
 * A Profit user that holds a token for an app connector. The user itself is inserted and updated
 * through KnUser (group links with GrId, blocking with MtCd); the token is issued by hand (App
 * connector › User tokens), shown once, so `connector` is a manual, attested attribute: a new user
 * is created without it, then the token step follows. Removal blocks the user; Profit users are
 * not deleted through the API.
 */
export const serviceAccountKind = {
  schema: serviceAccountSpec.schema,
  description: 'Token user: a Profit user that exchanges data through an app connector.',
  attributes: serviceAccountSpec.attributes,
  role: 'account',
  deleteMode: 'deactivate',
  onRemoveOptions: ['deactivate'],
  deactivation: { attribute: 'blocked', value: true, activeValue: false },
  api: serviceAccountApi,
  naturalKey: (spec) => String(spec.userId),
  naturalKeyAttribute: 'userId',
  check: checkServiceAccount,
  updateSteps: serviceAccountUpdateSteps,
  runbook: serviceAccountRunbook,
  permissions: serviceAccountPermissions,
} satisfies KindDefinition<AfasConnection>;
