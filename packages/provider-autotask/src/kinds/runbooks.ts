import type { RunbookRequest, RunbookStep } from '@roster/core';
import {
  describePermission,
  RECOMMENDED_BASE_LEVEL,
  RESOURCES_PATH,
  SECURITY_LEVELS_PATH,
  SYSTEM_NAME,
} from '../facts.js';
import { refName } from './common.js';

/**
 * Runbook steps for what only the Autotask UI can do, from the vendor's procedure (seed 004):
 * every field in the order the form shows it, with the value to enter.
 */

const checkbox = (v: unknown) => (v === true ? 'checked' : 'unchecked');

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

/** The runbook step of a manual operation on an API user (ServiceAccount). */
export function apiUserRunbook(req: RunbookRequest): RunbookStep {
  const a = req.attributes;
  const email = typeof a.email === 'string' ? a.email : req.naturalKey;
  const vendor = typeof a.integrationVendor === 'string' ? a.integrationVendor : undefined;
  const editPath = [...RESOURCES_PATH, email];
  const openNote = `In the list of resources, find ${email} (an API user) and open it for editing.`;
  switch (req.operation) {
    case 'create': {
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
            ? [
                `Give the Username (Key) and the secret to ${vendor} when it asks for its Autotask connection.`,
              ]
            : []),
        ],
        secrets: [
          { label: 'Password (Secret)', credential: 'secret' },
          // What the integration must send as ApiIntegrationCode: `roster test` signs in with it.
          { label: 'API Tracking Identifier', credential: 'integrationCode' },
        ],
      };
    }
    case 'update': {
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
    case 'deactivate':
    case 'delete':
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
    case 'rotate':
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
    case 'reconfirm': {
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
  }
}

const permissionsOf = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const samePermission = (a: unknown, b: unknown) =>
  JSON.stringify(Array.isArray(a) ? [...a].sort() : a) ===
  JSON.stringify(Array.isArray(b) ? [...b].sort() : b);

function permissionFields(
  perms: Record<string, unknown>,
  before?: Record<string, unknown>,
): RunbookStep['fields'] {
  return Object.entries(perms)
    .filter(([k, v]) => !before || !(k in before) || !samePermission(before[k], v))
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => ({ label: k, value: describePermission(v) }));
}

/** The runbook step of a manual operation on a security level (every operation is manual). */
export function securityLevelRunbook(req: RunbookRequest): RunbookStep {
  const a = req.attributes;
  const name = typeof a.name === 'string' ? a.name : req.naturalKey;
  const priorName = typeof req.prior?.name === 'string' ? req.prior.name : name;
  const base = typeof a.copiedFrom === 'string' ? a.copiedFrom : RECOMMENDED_BASE_LEVEL;
  const openNote = `Open the security level ${priorName} (context menu › Edit Security Level).`;
  switch (req.operation) {
    case 'create':
      return {
        system: SYSTEM_NAME,
        title: `Create the security level ${name} as a copy of ${base}`,
        uiPath: [...SECURITY_LEVELS_PATH],
        fields: [
          { label: 'Copy of (context menu › Copy Security Level)', value: base },
          { label: 'Name', value: name },
          { label: 'Active', value: checkbox(a.active ?? true) },
          ...permissionFields(permissionsOf(a.permissions)),
        ],
        notes: [
          `On the row of ${base}, open the context menu and choose Copy Security Level; enter the values above in the copy.`,
          `Permissions not listed keep what the copy brought from ${base}.`,
          'A list of rights means exactly those: the rights it leaves out are unchecked.',
          'Click Save & Close.',
        ],
      };
    case 'update': {
      const changes = req.changes ?? {};
      const fields: RunbookStep['fields'] = [];
      if ('name' in changes) fields.push({ label: 'Name', value: String(changes.name) });
      if ('active' in changes) fields.push({ label: 'Active', value: checkbox(changes.active) });
      if ('permissions' in changes)
        fields.push(
          ...permissionFields(permissionsOf(changes.permissions), permissionsOf(req.prior?.permissions)),
        );
      return {
        system: SYSTEM_NAME,
        title: `Edit the security level ${priorName}`,
        uiPath: [...SECURITY_LEVELS_PATH, priorName],
        fields,
        notes: [openNote, 'Leave every other permission as it is.', 'Click Save & Close.'],
      };
    }
    case 'deactivate':
    case 'delete':
      return {
        system: SYSTEM_NAME,
        title: `Deactivate the security level ${priorName}`,
        uiPath: [...SECURITY_LEVELS_PATH, priorName],
        fields: [{ label: 'Active', value: 'unchecked' }],
        notes: [
          openNote,
          'API users that have this level keep it; new API users can no longer be given it.',
          'Click Save & Close.',
        ],
      };
    case 'rotate':
      throw new Error('rotate: a security level holds no credentials');
    case 'reconfirm': {
      const keys = req.reconfirm ?? Object.keys(a);
      const fields: RunbookStep['fields'] = [];
      for (const k of keys) {
        if (k === 'name') fields.push({ label: 'Name', value: name });
        else if (k === 'active') fields.push({ label: 'Active', value: checkbox(a.active ?? true) });
        else if (k === 'copiedFrom')
          fields.push({
            label: 'Copied from',
            value: `${base} (Autotask does not show it: nothing to check)`,
          });
        else if (k === 'permissions') fields.push(...permissionFields(permissionsOf(a.permissions)));
      }
      return {
        system: SYSTEM_NAME,
        title: `Confirm what Autotask shows for the security level ${name}`,
        uiPath: [...SECURITY_LEVELS_PATH, name],
        fields,
        notes: [
          openNote,
          'Compare each value above with what Autotask shows; change nothing.',
          'If a value differs, do not confirm: correct the security level or the manifest first.',
        ],
      };
    }
  }
}
