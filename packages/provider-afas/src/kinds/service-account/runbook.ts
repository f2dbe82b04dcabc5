import type { KindRunbook, RunbookRequest, RunbookStep } from '@roster/core';
import { checkBox, compact, refName, refNames, SYSTEM } from '../common.js';
import type { ServiceAccountSpec } from './spec.js';

const USER_MAINTENANCE = ['General', 'Management', 'Authorisation tool', 'User maintenance'];
const APP_CONNECTOR = ['General', 'Management', 'App connector'];

const attributesOf = (req: RunbookRequest) => req.attributes as Partial<ServiceAccountSpec>;

/** The app connector a step is about: the one changed to, else the declared one. */
const connectorOf = (req: RunbookRequest) =>
  refName(req.changes?.connector) ?? refName(attributesOf(req).connector);

/** Done through KnUser; this is what the same step takes by hand. */
function create(req: RunbookRequest): RunbookStep {
  const userId = req.naturalKey;
  const a = attributesOf(req);
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
}

/** The token step: the only manual part of a ServiceAccount (App connector › User tokens). */
function update(req: RunbookRequest): RunbookStep {
  const userId = req.naturalKey;
  const connector = connectorOf(req);
  if (!(req.changes && 'connector' in req.changes) || !connector) return checkUser(req);
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

/** Rotating a token is deleting it and issuing a new one on the same app connector. */
function rotate(req: RunbookRequest): RunbookStep {
  const current = req.prior?.connector ?? req.attributes.connector;
  return update({
    ...req,
    operation: 'update',
    changes: { connector: current },
    prior: { ...(req.prior ?? {}), connector: current },
  });
}

/** A token cannot be viewed: the review checks that one is listed. */
function reconfirm(req: RunbookRequest): RunbookStep {
  const userId = req.naturalKey;
  const connector = connectorOf(req);
  if (!connector) return checkUser(req);
  return {
    system: SYSTEM,
    title: `Confirm that ${userId} holds a token on app connector '${connector}'`,
    uiPath: [...APP_CONNECTOR, connector, 'User tokens'],
    fields: [{ label: 'User', value: userId }],
    notes: ['A token cannot be viewed: check that a token of this user is listed.'],
  };
}

function deactivate(req: RunbookRequest): RunbookStep {
  return {
    system: SYSTEM,
    title: `Block user ${req.naturalKey}`,
    uiPath: [...USER_MAINTENANCE, req.naturalKey],
    fields: [{ label: 'Blocked', value: checkBox(true) }],
    notes: ['A blocked user cannot sign in or exchange data; the user stays for the audit trail.'],
  };
}

/** Anything but the token is a KnUser call roster makes: by hand, the user is only checked. */
function checkUser(req: RunbookRequest): RunbookStep {
  const a = attributesOf(req);
  return {
    system: SYSTEM,
    title: `Check user ${req.naturalKey}`,
    uiPath: [...USER_MAINTENANCE, req.naturalKey],
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
 * The steps of a token user. Its token is issued by hand (update, rotate, reconfirm); the user
 * itself goes through KnUser, so `create` and `deactivate` say what the same step takes by hand.
 * Profit users are never deleted (removal blocks them): there is no delete step.
 */
export const serviceAccountRunbook = {
  create,
  update,
  rotate,
  reconfirm,
  deactivate,
} satisfies KindRunbook;
