import type { KindRunbook, RunbookRequest } from '@roster/core';
import {
  checkBox,
  compact,
  describeOwner,
  EXPORT_AGAIN,
  listValue,
  ownerOfKey,
  ownerParts,
  refNames,
  registerOf,
  SYSTEM,
} from '../common.js';

/** The Organization work area path to the owner's document. */
function ownerPath(type: 'staff' | 'contact', id: string): string[] {
  return ['Organization work area', registerOf(type), id, 'Account page', 'Edit'];
}

/** The account's owner, how operators name it, its register, and how to open its Account page. */
function owner(req: RunbookRequest) {
  const p = ownerParts(req.attributes.owner) ?? ownerParts(req.prior?.owner) ?? ownerOfKey(req.naturalKey);
  if (!p) throw new Error(`${req.address}: no owner in ${req.naturalKey}`);
  const { type, id } = p;
  const who = describeOwner(type, id);
  const register = registerOf(type);
  const open = `Open the ${register} register (or the ${register} tab) from the Organization work area, select the document of ${who} and click the Account page.`;
  return { type, id, who, register, open };
}

const asText = (v: unknown) => (typeof v === 'string' ? v : '');
const integration = (v: unknown) =>
  (v && typeof v === 'object' ? v : {}) as { externalSystem?: string; externalAccount?: string };

/** What a role change adds and removes, for the operator. */
function rolesDelta(before: unknown, after: unknown): string | undefined {
  const b = refNames(before);
  const a = refNames(after);
  const added = a.filter((x) => !b.includes(x));
  const removed = b.filter((x) => !a.includes(x));
  if (added.length === 0 && removed.length === 0) return undefined;
  return `Security roles: ${compact([
    added.length > 0 && `add ${added.join(', ')}`,
    removed.length > 0 && `remove ${removed.join(', ')}`,
  ]).join('; ')}.`;
}

const CANNOT_LOG_ON =
  'An integration account cannot log on to Proliance: it has no password to set or store, and roster test does not apply to it.';
const NO_SECURITY_PERMISSIONS =
  'Give it only roles without Security Permissions: otherwise the external account can change its own role (for example to Administrator).';

/**
 * The runbook steps of an integration account (the seed's procedure, from the Organization work
 * area). Proliance never deletes an account (removal deactivates it), and an integration account
 * holds no credentials, so there is no delete or rotate step.
 */
export const serviceAccountRunbook = {
  create(req) {
    const a = req.attributes;
    const { type, id, who, register, open } = owner(req);
    const si = integration(a.systemIntegration);
    return {
      system: SYSTEM,
      title: `Create the integration account of ${who}`,
      uiPath: [...ownerPath(type, id), 'Create Account', 'Integration Account'],
      fields: [
        { label: 'Account Name', value: asText(a.accountName) },
        { label: 'System Integration › External System', value: si.externalSystem ?? '' },
        { label: 'System Integration › External Account', value: si.externalAccount ?? '' },
        { label: 'Security › Security Category', value: asText(a.securityCategory) },
        { label: 'Security › Security Roles', value: listValue(refNames(a.roles)) },
        { label: 'Active', value: checkBox(a.active ?? true) },
      ],
      notes: [
        `${who[0]!.toUpperCase()}${who.slice(1)} must exist and be active (roster checked the export when planning). If not, create the ${type === 'staff' ? 'staff member' : 'contact'} first (Organization work area › ${register} › New), export the registers again and plan again.`,
        'Integration accounts can only be created from the Organization work area.',
        `${open} Click Edit; next to the Account Type field click Create Account and select Integration Account in the Edit User Account dialog box.`,
        'Complete the dialog box, expand the System Integration category, then the Security category (security category, then add the security roles), and click Save.',
        CANNOT_LOG_ON,
        NO_SECURITY_PERMISSIONS,
        EXPORT_AGAIN,
      ],
    };
  },
  update(req) {
    const { type, id, who, open } = owner(req);
    const c = req.changes ?? {};
    const prior = req.prior ?? {};
    const si = integration(c.systemIntegration);
    const fields = compact([
      'accountName' in c && { label: 'Account Name', value: asText(c.accountName) },
      'systemIntegration' in c && {
        label: 'System Integration › External System',
        value: si.externalSystem ?? '',
      },
      'systemIntegration' in c && {
        label: 'System Integration › External Account',
        value: si.externalAccount ?? '',
      },
      'securityCategory' in c && {
        label: 'Security › Security Category',
        value: asText(c.securityCategory),
      },
      'roles' in c && { label: 'Security › Security Roles', value: listValue(refNames(c.roles)) },
      'active' in c && { label: 'Active', value: checkBox(c.active) },
    ]);
    return {
      system: SYSTEM,
      title: `Change the integration account of ${who}${asText(prior.accountName) ? ` (${asText(prior.accountName)})` : ''}`,
      uiPath: ownerPath(type, id),
      fields,
      notes: compact([
        `${open} Click Edit.`,
        'roles' in c && rolesDelta(prior.roles, c.roles),
        'roles' in c && NO_SECURITY_PERMISSIONS,
        'Click Save.',
        EXPORT_AGAIN,
      ]),
    };
  },
  deactivate(req) {
    const { type, id, who, open } = owner(req);
    return {
      system: SYSTEM,
      title: `Deactivate the integration account of ${who}`,
      uiPath: ownerPath(type, id),
      fields: [{ label: 'Active', value: checkBox(false) }],
      notes: compact([
        `${open} Click Edit.`,
        'An inactive integration account can no longer exchange data with the external application.',
        'Click Save.',
        EXPORT_AGAIN,
      ]),
    };
  },
  reconfirm(req) {
    const a = req.attributes;
    const { type, id, who } = owner(req);
    const si = integration(a.systemIntegration);
    return {
      system: SYSTEM,
      title: `Confirm the integration account of ${who}`,
      uiPath: ownerPath(type, id).slice(0, -1),
      fields: [
        { label: 'Account Name', value: asText(a.accountName) },
        { label: 'System Integration › External System', value: si.externalSystem ?? '' },
        { label: 'Security › Security Roles', value: listValue(refNames(a.roles)) },
      ],
      notes: ['Check each value on the Account page.'],
    };
  },
} satisfies KindRunbook;
