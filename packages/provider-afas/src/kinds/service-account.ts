import type { CheckRequest, CheckResult, KindDefinition, RunbookRequest, RunbookStep } from '@roster/core';
import { EMAIL_PATTERN } from '@roster/core';
import { serviceAccountPermissions } from '../permissions.js';
import {
  CODE_PATTERN,
  checkBox,
  compact,
  refName,
  refNames,
  refSchema,
  SCHEMA_BASE,
  SYSTEM,
} from './common.js';

/** The `spec` of a ServiceAccount, as manifests give it and as it is read back. */
export interface ServiceAccountSpec {
  userId: string;
  name?: string;
  email?: string;
  person?: string;
  windows?: boolean;
  inSite?: boolean;
  groups?: Array<{ ref: string }>;
  connector?: { ref: string };
  blocked?: boolean;
  credentials?: { token?: unknown; rotateAfterDays?: number };
}

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${SCHEMA_BASE}/ServiceAccount.schema.json`,
  title: 'AFAS Profit token user',
  description:
    'A Profit user (UpdateConnector KnUser) that exchanges data through an app connector with a user token.',
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: {
    userId: {
      type: 'string',
      minLength: 1,
      maxLength: 80,
      pattern: CODE_PATTERN,
      description:
        'User code (KnUser UsId); on AFAS Online <participant number>.<code>, e.g. 12345.WS-INVOICE. Immutable.',
    },
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 80,
      description: 'Description of the user (KnUser Nm); the user code when not given.',
    },
    email: {
      type: 'string',
      maxLength: 255,
      pattern: EMAIL_PATTERN,
      description:
        'E-mail address (KnUser EmAd). AFAS does not require one; roster does (rule afas.roster-email-required), for the OTP token flow.',
    },
    person: {
      type: 'string',
      minLength: 1,
      maxLength: 15,
      description:
        'Code of the person (employee) the user is linked to (KnUser BcCo, "Person code"; read back as Profit_Users PersonId). Optional: a system user is linked to no one.',
    },
    windows: {
      type: 'boolean',
      description: 'Profit Windows access (KnUser Awin). AFAS recommends integration users without it.',
    },
    inSite: {
      type: 'boolean',
      description: 'InSite access (KnUser InSi). Windows or InSite must be enabled.',
    },
    groups: {
      type: 'array',
      uniqueItems: true,
      description:
        'User groups (Group resources) the user is a member of, besides the group of all users; compared as a set.',
      items: refSchema('A Group of the same provider.'),
    },
    connector: refSchema(
      'The app connector (a Connector of the same provider) the user holds a token for. The token is issued by hand and shown once.',
    ),
    blocked: { type: 'boolean', description: 'Blocked: the user cannot sign in or exchange data.' },
    credentials: {
      type: 'object',
      additionalProperties: false,
      description: 'Where the token AFAS shows once is stored (roster never sends or reads it from AFAS).',
      properties: {
        token: {
          type: 'string',
          description: '${env:NAME} or ${file:path} that holds (or will hold) the token.',
        },
        rotateAfterDays: {
          type: 'integer',
          minimum: 1,
          maximum: 3650,
          description:
            'Rotate the token after this many days (rotating = delete the token and add a new one).',
        },
      },
    },
  },
} as const;

const USER_MAINTENANCE = ['General', 'Management', 'Authorisation tool', 'User maintenance'];
const APP_CONNECTOR = ['General', 'Management', 'App connector'];

function check(req: CheckRequest): CheckResult {
  const s = req.spec as unknown as ServiceAccountSpec;
  const diagnostics: CheckResult['diagnostics'] = [];
  if (!s.email) {
    // roster's policy, not a rule of AFAS: KnUser accepts a user without EmAd (only OutSite needs
    // one). A token user may have to request its token through the OTP flow, which AFAS mails.
    diagnostics.push({
      severity: 'error',
      code: 'afas.roster-email-required',
      message: `${s.userId} needs an e-mail address (roster's rule, not AFAS's: AFAS accepts a user without one, but mails the one-time password of its OTP token flow to it)`,
      path: '/email',
    });
  }
  if (s.windows !== true && s.inSite !== true) {
    diagnostics.push({
      severity: 'error',
      code: 'afas.application-required',
      message: `${s.userId} needs Profit Windows or InSite enabled (windows: true or inSite: true): AFAS requires one for members of an app connector's user group`,
      // InSite is the fix AFAS advises for integration users; point at Windows only when only it is set.
      path: s.inSite !== undefined || s.windows === undefined ? '/inSite' : '/windows',
    });
  }
  if (s.windows === true) {
    diagnostics.push({
      severity: 'info',
      code: 'afas.windows-access',
      message: `${s.userId} has Profit Windows access; AFAS recommends integration users without it (InSite suffices for app connectors)`,
      path: '/windows',
    });
  }
  return { diagnostics };
}

/** The API steps an update takes, in order, when they are not one call. */
function updateSteps(req: { changed: readonly string[] }): string[] {
  const steps: string[] = [];
  const changed = new Set(req.changed);
  if (['name', 'email', 'person', 'windows', 'inSite'].some((k) => changed.has(k))) {
    steps.push(
      'KnUser PUT with MtCd 1: name, e-mail, person and applications (the block status stays as it is)',
    );
  }
  if (changed.has('groups')) {
    steps.push(
      'groups added: KnUser PUT with MtCd 1 and GrId, one per group',
      'groups removed: KnUser cannot leave one group, so MtCd 0 (block, leave all groups), MtCd 1 with GrId per remaining group, then MtCd 6 (unblock): the account cannot exchange data for those seconds',
    );
  }
  if (changed.has('blocked')) steps.push('KnUser PUT with MtCd 2 (block) or MtCd 6 (unblock)');
  if (changed.has('connector'))
    steps.push('then the token, by hand: App connector › User tokens (manual step)');
  return steps;
}

/** The runbook step for a manual operation on a token user. */
export function serviceAccountRunbook(req: RunbookRequest): RunbookStep {
  if (req.operation === 'rotate') {
    // Rotating a token is deleting it and issuing a new one on the same app connector.
    const current = req.prior?.connector ?? req.attributes.connector;
    return serviceAccountRunbook({
      ...req,
      operation: 'update',
      changes: { connector: current },
      prior: { ...(req.prior ?? {}), connector: current },
    });
  }
  const userId = req.naturalKey;
  const a = req.attributes as Partial<ServiceAccountSpec>;
  const connector = refName(req.changes?.connector) ?? refName(a.connector);
  switch (req.operation) {
    case 'create':
      // Done through KnUser; this is what the same step takes by hand.
      return {
        system: SYSTEM,
        title: `Add user ${userId}`,
        uiPath: [...USER_MAINTENANCE, 'User', 'New system user'],
        fields: compact([
          { label: 'User', value: userId },
          { label: 'Description', value: String(a.name ?? userId) },
          { label: 'Profit Windows', value: checkBox(a.windows) },
          { label: 'InSite', value: checkBox(a.inSite) },
          a.email !== undefined && { label: 'E-mail (tab User maintenance)', value: String(a.email) },
          a.person !== undefined && { label: 'Person', value: String(a.person) },
          { label: 'Blocked', value: checkBox(a.blocked) },
        ]),
        notes: compact([
          refNames(a.groups).length > 0 &&
            `Then add the user to ${refNames(a.groups).join(', ')} (Group maintenance › Users in group).`,
        ]),
      };
    case 'update': {
      if (!(req.changes && 'connector' in req.changes) || !connector) break;
      const previous = refName(req.prior?.connector);
      const rotating = previous !== undefined;
      return {
        system: SYSTEM,
        title: `${rotating ? 'Replace' : 'Add'} the user token of ${userId} on app connector '${connector}'`,
        uiPath: [...APP_CONNECTOR, connector, 'User tokens', 'New'],
        fields: [
          { label: 'User', value: userId },
          { label: 'Description', value: `roster: ${req.name}` },
        ],
        notes: compact([
          rotating &&
            `First delete the current token of ${userId}: ${[...APP_CONNECTOR, previous, 'User tokens'].join(' › ')}, select it and delete it. A token cannot be shown again, so replacing one means deleting it and adding a new one.`,
          `The user must be a member of the user group linked to '${connector}' (roster adds the membership through KnUser before this step).`,
          'Click Next, then Copy: the token is shown only now. Click Finish.',
          'Store the token where credentials.token points, nowhere else; the integration then uses it in the header Authorization: AfasToken <Base64 of the token>.',
          'Alternatively the user requests the token through the OTP flow (POST /otprequest, then /otpvalidation with the e-mailed one-time password).',
        ]),
        secrets: [{ label: 'Token', credential: 'token' }],
      };
    }
    case 'reconfirm':
      if (!connector) break;
      return {
        system: SYSTEM,
        title: `Confirm that ${userId} holds a token on app connector '${connector}'`,
        uiPath: [...APP_CONNECTOR, connector, 'User tokens'],
        fields: [{ label: 'User', value: userId }],
        notes: ['A token cannot be viewed: check that a token of this user is listed.'],
      };
    case 'deactivate':
      return {
        system: SYSTEM,
        title: `Block user ${userId}`,
        uiPath: [...USER_MAINTENANCE, userId],
        fields: [{ label: 'Blocked', value: checkBox(true) }],
        notes: ['A blocked user cannot sign in or exchange data; the user stays for the audit trail.'],
      };
    case 'delete':
      return {
        system: SYSTEM,
        title: `Block user ${userId}`,
        uiPath: [...USER_MAINTENANCE, userId],
        fields: [{ label: 'Blocked', value: checkBox(true) }],
        notes: ['roster does not delete Profit users (KnUser has no delete): block the user instead.'],
      };
  }
  // The token is the only manual part of a ServiceAccount; anything else is a KnUser call roster makes.
  return {
    system: SYSTEM,
    title: `Check user ${userId}`,
    uiPath: [...USER_MAINTENANCE, userId],
    fields: compact([
      a.email !== undefined && { label: 'E-mail', value: String(a.email) },
      a.windows !== undefined && { label: 'Profit Windows (tab Applications)', value: checkBox(a.windows) },
      a.inSite !== undefined && { label: 'InSite (tab Applications)', value: checkBox(a.inSite) },
      a.groups !== undefined && { label: 'Groups', value: refNames(a.groups).join(', ') || '(none)' },
      a.blocked !== undefined && { label: 'Blocked', value: checkBox(a.blocked) },
    ]),
  };
}

/**
 * A Profit user that holds a token for an app connector. The user itself is inserted and updated
 * through KnUser (group links with GrId, blocking with MtCd); the token is issued by hand (App
 * connector › User tokens), shown once, so `connector` is a manual, attested attribute: a new user
 * is created without it, then the token step follows. Removal blocks the user; Profit users are
 * not deleted through the API.
 */
export const serviceAccountKind = {
  schema,
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
  capabilities: { create: 'api', read: 'api', update: 'api', delete: 'none' },
  // Rotating a token is deleting it and issuing a new one (App connector › User tokens), by hand.
  rotate: 'manual',
  naturalKey: (spec) => String(spec.userId),
  naturalKeyAttribute: 'userId',
  check,
  updateSteps,
  runbook: serviceAccountRunbook,
  permissions: serviceAccountPermissions,
} satisfies KindDefinition;
