import type { KindDefinition } from '@roster/core';
import type { AfasConnection } from '../../connection.js';
import { serviceAccountPermissions } from '../../permissions.js';
import { serviceAccountApi } from './api.js';
import { checkServiceAccount, serviceAccountUpdateSteps } from './checks.js';
import { serviceAccountRunbook } from './runbook.js';
import { serviceAccountSchema } from './spec.js';

/**
 * A Profit user that holds a token for an app connector. The user itself is inserted and updated
 * through KnUser (group links with GrId, blocking with MtCd); the token is issued by hand (App
 * connector › User tokens), shown once, so `connector` is a manual, attested attribute: a new user
 * is created without it, then the token step follows. Removal blocks the user; Profit users are
 * not deleted through the API.
 */
export const serviceAccountKind = {
  schema: serviceAccountSchema,
  description: 'Token user: a Profit user that exchanges data through an app connector.',
  attributes: {
    userId: { immutable: true, description: 'User code; cannot change once created.' },
    name: { description: 'Description of the user.' },
    email: { description: "E-mail address; required by roster's rule for token users (OTP)." },
    person: { description: 'Person the user is linked to (KnUser BcCo, Profit_Users PersonId).' },
    windows: { privilege: true, absent: false, description: 'Profit Windows access.' },
    inSite: { privilege: true, absent: false, description: 'InSite access.' },
    groups: {
      ref: 'Group',
      set: true,
      privilege: true,
      absent: [],
      description: 'User groups (KnUser GrId).',
    },
    connector: {
      ref: 'Connector',
      update: 'manual',
      verifiable: false,
      privilege: true,
      absent: null,
      // A new user holds no token yet: it is created without one, then the token step follows.
      createValues: [null],
      createAs: null,
      description: 'The app connector whose user token the account holds (issued by hand, shown once).',
    },
    blocked: { description: 'Blocked (KnUser MtCd 2 / 6).' },
    credentials: { local: true, description: 'Where the token is stored, and when to rotate it.' },
  },
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
