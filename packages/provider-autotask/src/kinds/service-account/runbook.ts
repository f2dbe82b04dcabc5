import type { KindRunbook, RunbookRequest, RunbookStep } from '@roster/core';
import { RECOMMENDED_BASE_LEVEL, RESOURCES_PATH, SYSTEM_NAME } from '../../facts.js';
import { checkbox, refName } from '../common.js';

// Runbook steps for what only the Autotask UI can do, from the vendor's procedure (seed 004):
// every field in the order the form shows it, with the value to enter.

/** First and last name of an API user: as declared, else the resource's name and "API". */
export function accountNames(
  name: string,
  attributes: Record<string, unknown>,
): { firstName: string; lastName: string } {
  return {
    firstName: typeof attributes.firstName === 'string' ? attributes.firstName : name,
    lastName: typeof attributes.lastName === 'string' ? attributes.lastName : 'API',
  };
}

const ACCOUNT_LABELS: Record<string, string> = {
  firstName: 'First Name',
  lastName: 'Last Name',
  email: 'Email Address',
  active: 'Active',
  locked: 'Locked',
  securityLevel: 'Security Level',
  integrationVendor: 'Integration Vendor',
};

function accountValue(key: string, value: unknown): string {
  if (key === 'active' || key === 'locked') return checkbox(value);
  if (key === 'securityLevel') return refName(value) ?? String(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function accountFields(values: Record<string, unknown>): RunbookStep['fields'] {
  // In the order the form shows them.
  return Object.keys(ACCOUNT_LABELS)
    .filter((k) => k in values)
    .map((k) => ({ label: ACCOUNT_LABELS[k]!, value: accountValue(k, values[k]) }));
}

/** What every step on one API user opens: its e-mail, vendor and edit form. */
function apiUser(req: RunbookRequest) {
  const a = req.attributes;
  const email = typeof a.email === 'string' ? a.email : req.naturalKey;
  return {
    a,
    email,
    vendor: typeof a.integrationVendor === 'string' ? a.integrationVendor : undefined,
    editPath: [...RESOURCES_PATH, email],
    openNote: `In the list of resources, find ${email} (an API user) and open it for editing.`,
  };
}

/** New API User: every field of the form, the secret and tracking identifier shown once. */
function create(req: RunbookRequest): RunbookStep {
  const { a, email, vendor } = apiUser(req);
  const names = accountNames(req.name, a);
  return {
    system: SYSTEM_NAME,
    title: `Create the API user ${email} for ${req.name}`,
    uiPath: [...RESOURCES_PATH, '+ New', 'New API User'],
    fields: [
      { label: 'First Name', value: names.firstName },
      { label: 'Last Name', value: names.lastName },
      { label: 'Email Address', value: email },
      { label: 'Active', value: checkbox(a.active ?? true) },
      { label: 'Locked', value: checkbox(a.locked ?? false) },
      { label: 'Security Level', value: refName(a.securityLevel) ?? RECOMMENDED_BASE_LEVEL },
      { label: 'Username (Key)', value: 'click Generate Key' },
      { label: 'Password (Secret)', value: 'click Generate Secret' },
      { label: 'API Tracking Identifier', value: 'Integration Vendor' },
      { label: 'Integration Vendor', value: vendor ?? '(choose the integration’s vendor)' },
    ],
    notes: [
      'The Integration Vendor cannot be changed once the API user is saved: another vendor later means a new API user with new credentials.',
      'Copy the Password (Secret) before saving: Autotask shows it only in this form, never again.',
      'Keep the API Tracking Identifier the integration sends (its vendor supplies it; for Custom (Internal Integration), copy the one Autotask generates): Autotask refuses this API user any other ApiIntegrationCode.',
      "Leave the other fields (Primary Internal Location, Line of Business) at your company's defaults.",
      'Click Save & Close.',
      ...(vendor
        ? [`Give the Username (Key) and the secret to ${vendor} when it asks for its Autotask connection.`]
        : []),
    ],
    secrets: [
      { label: 'Password (Secret)', credential: 'secret' },
      // What the integration must send as ApiIntegrationCode: `roster test` signs in with it.
      { label: 'API Tracking Identifier', credential: 'integrationCode' },
    ],
  };
}

/** Edit the API user: the attributes only the UI changes. */
function update(req: RunbookRequest): RunbookStep {
  const { email, editPath, openNote } = apiUser(req);
  const changes = req.changes ?? {};
  return {
    system: SYSTEM_NAME,
    title: `Edit the API user ${email}: ${Object.keys(changes)
      .map((k) => ACCOUNT_LABELS[k] ?? k)
      .join(', ')}`,
    uiPath: editPath,
    fields: accountFields(changes),
    notes: [
      openNote,
      ...('securityLevel' in changes
        ? ['The Security Level list shows only active API-only security levels.']
        : []),
      ...(changes.locked === false ? ['Unchecking Locked lets the integration sign in again.'] : []),
      'Click Save & Close.',
    ],
  };
}

/** Uncheck Active (Autotask never deletes resources). */
function deactivate(req: RunbookRequest): RunbookStep {
  const { email, editPath, openNote } = apiUser(req);
  return {
    system: SYSTEM_NAME,
    title: `Deactivate the API user ${email}`,
    uiPath: editPath,
    fields: [{ label: 'Active', value: 'unchecked' }],
    notes: [
      openNote,
      'Autotask never deletes resources: the API user stays, inactive, for the audit trail. Integrations signing in with it stop working.',
      'Click Save & Close.',
    ],
  };
}

/** Edit › Generate Secret: the new secret is shown once. */
function rotate(req: RunbookRequest): RunbookStep {
  const { email, editPath, openNote } = apiUser(req);
  return {
    system: SYSTEM_NAME,
    title: `Generate a new secret for the API user ${email}`,
    uiPath: editPath,
    fields: [{ label: 'Password (Secret)', value: 'click Generate Secret' }],
    notes: [
      openNote,
      'The old secret stops working when you save: update the integration right after.',
      'Copy the new secret before saving: Autotask shows it only in this form.',
      'Click Save & Close.',
    ],
    secrets: [{ label: 'Password (Secret)', credential: 'secret' }],
  };
}

/** Compare what the UI shows with the manifest, changing nothing. */
function reconfirm(req: RunbookRequest): RunbookStep {
  const { a, email, editPath, openNote } = apiUser(req);
  const keys = req.reconfirm ?? Object.keys(a);
  return {
    system: SYSTEM_NAME,
    title: `Confirm what Autotask shows for the API user ${email}`,
    uiPath: editPath,
    fields: accountFields(Object.fromEntries(keys.filter((k) => k in a).map((k) => [k, a[k]]))),
    notes: [
      openNote,
      'Compare each value above with what Autotask shows (the Integration Vendor is under API Tracking Identifier); change nothing.',
      'If a value differs, do not confirm: correct the API user or the manifest first.',
    ],
  };
}

/**
 * The runbook of an API user (ServiceAccount): created in the UI, the attributes the API cannot
 * write edited there, deactivated there when its update is manual, its secret generated there. It
 * has no delete step: Autotask never deletes resources.
 */
export const serviceAccountRunbook = {
  create,
  update,
  deactivate,
  rotate,
  reconfirm,
} satisfies KindRunbook;
