import type { KindRunbook, RunbookRequest, RunbookStep } from '@roster/core';
import {
  describePermission,
  RECOMMENDED_BASE_LEVEL,
  SECURITY_LEVELS_PATH,
  SYSTEM_NAME,
} from '../../facts.js';
import { checkbox } from '../common.js';

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

/** What every step on one security level names: its name (and the one it had), its base, its form. */
function level(req: RunbookRequest) {
  const a = req.attributes;
  const name = typeof a.name === 'string' ? a.name : req.naturalKey;
  const priorName = typeof req.prior?.name === 'string' ? req.prior.name : name;
  return {
    a,
    name,
    priorName,
    base: typeof a.copiedFrom === 'string' ? a.copiedFrom : RECOMMENDED_BASE_LEVEL,
    openNote: `Open the security level ${priorName} (context menu › Edit Security Level).`,
  };
}

/** Copy Security Level from the base, then its name, active and permissions. */
function create(req: RunbookRequest): RunbookStep {
  const { a, name, base } = level(req);
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
}

/** Edit the level: what changed, permissions compared with what it had. */
function update(req: RunbookRequest): RunbookStep {
  const { priorName, openNote } = level(req);
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

/** Uncheck Active (Autotask has no deletion of security levels). */
function deactivate(req: RunbookRequest): RunbookStep {
  const { priorName, openNote } = level(req);
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
}

/** Compare what the UI shows with the manifest, changing nothing. */
function reconfirm(req: RunbookRequest): RunbookStep {
  const { a, name, base, openNote } = level(req);
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

/**
 * The runbook of a security level: every operation is done in the UI (created as a copy, edited,
 * deactivated, reconfirmed). It has no delete step (Autotask offers none) and no rotate step (a
 * security level holds no credentials).
 */
export const securityLevelRunbook = {
  create,
  update,
  deactivate,
  reconfirm,
} satisfies KindRunbook;
