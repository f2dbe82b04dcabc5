import {
  bool,
  type KindDefinition,
  obj,
  oneOf,
  type RuleOptions,
  type RunbookRequest,
  type RunbookStep,
  refs,
  type SpecOf,
  spec,
  str,
} from '@roster/core';
import { serviceAccountPermissions } from '../permissions.js';
import {
  checkBox,
  compact,
  describeOwner,
  ID_PATTERN,
  listValue,
  ownerKey,
  ownerOfKey,
  ownerParts,
  refNames,
  registerOf,
  SCHEMA_BASE,
  SYSTEM,
  TEXT_PATTERN,
} from './common.js';
import { EXPORT_AGAIN } from './security-level.js';

const ownerId = (what: string) =>
  str({
    minLength: 1,
    maxLength: 50,
    pattern: ID_PATTERN,
    doc: `ID of the ${what}, as its register shows it (e.g. ${what === 'staff member' ? 'S-1002' : 'C-2001'}). It must exist and be active.`,
  });

const text = (doc: string, max = 100, rule: RuleOptions = {}) =>
  str({ minLength: 1, maxLength: max, pattern: TEXT_PATTERN, doc, ...rule });

/** The `spec` of a ServiceAccount (a Proliance integration account), its schema and its rules. */
export const serviceAccountSpec = spec(
  {
    owner: oneOf(
      [
        obj({ staff: ownerId('staff member') }, { required: ['staff'] }),
        obj({ contact: ownerId('contact') }, { required: ['contact'] }),
      ],
      {
        doc: 'The staff member or contact whose document holds the account: {staff: ID} or {contact: ID}. Identifies the account (one per document); cannot change.',
        immutable: true,
        summary: 'The staff member or contact that holds the account (Owner Type, Owner ID).',
      },
    ),
    accountName: text('Account name (unique among Proliance accounts).', 100, {
      summary: 'Account name (the Account Name column).',
    }),
    securityCategory: text('Security category of the account (Security category of the dialog box).', 100, {
      privilege: true,
      summary: 'Security category (the Security Category column).',
    }),
    roles: refs('SecurityLevel', {
      uniqueItems: true,
      doc: 'Security roles (SecurityLevel resources) the account holds; compared as a set. Roles granting Security Permissions let the account raise itself to Administrator.',
      item: 'A SecurityLevel of the same provider.',
      privilege: true,
      absent: [],
      summary: 'Security roles (the Security Roles column).',
    }),
    systemIntegration: obj(
      {
        externalSystem: text('External application, e.g. Procore or SAP S/4HANA.'),
        externalAccount: text(
          'The account in the external application this integration account is associated with.',
          255,
        ),
      },
      {
        required: ['externalSystem'],
        doc: 'The System Integration category: the external application this account exchanges data with, and the account on that side.',
        summary: 'External system and account (the External System and External Account columns).',
      },
    ),
    active: bool({
      default: true,
      doc: 'Active; removing the resource deactivates the account (Proliance accounts are not deleted).',
      summary: 'Active (the Active column); false is how roster removes an account.',
    }),
  },
  {
    required: ['owner', 'accountName', 'securityCategory'],
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE}/ServiceAccount.schema.json`,
    title: 'Proliance integration account',
    doc: 'An integration account on an existing staff member or contact (Organization work area › Staff or Contacts › Account page). It exchanges data with an external application and can never log on to Proliance, so it has no password and no credentials.',
  },
);

/** The `spec` of a ServiceAccount (a Proliance integration account). */
export type ServiceAccountSpec = SpecOf<typeof serviceAccountSpec>;

/** The Organization work area path to the owner's document. */
function ownerPath(type: 'staff' | 'contact', id: string): string[] {
  return ['Organization work area', registerOf(type), id, 'Account page', 'Edit'];
}

function ownerOf(req: RunbookRequest): { type: 'staff' | 'contact'; id: string } {
  const p = ownerParts(req.attributes.owner) ?? ownerParts(req.prior?.owner) ?? ownerOfKey(req.naturalKey);
  if (!p) throw new Error(`${req.address}: no owner in ${req.naturalKey}`);
  return p;
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

/** The runbook step for a manual operation on an integration account (the seed's procedure). */
export function serviceAccountRunbook(req: RunbookRequest): RunbookStep {
  const a = req.attributes;
  const { type, id } = ownerOf(req);
  const who = describeOwner(type, id);
  const register = registerOf(type);
  const open = `Open the ${register} register (or the ${register} tab) from the Organization work area, select the document of ${who} and click the Account page.`;
  switch (req.operation) {
    case 'create': {
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
    }
    case 'update': {
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
    }
    case 'deactivate':
    case 'delete':
      return {
        system: SYSTEM,
        title: `Deactivate the integration account of ${who}`,
        uiPath: ownerPath(type, id),
        fields: [{ label: 'Active', value: checkBox(false) }],
        notes: compact([
          `${open} Click Edit.`,
          req.operation === 'delete' &&
            'roster does not delete Proliance accounts: deactivate the account instead; it stays on the document for the audit trail.',
          'An inactive integration account can no longer exchange data with the external application.',
          'Click Save.',
          EXPORT_AGAIN,
        ]),
      };
    case 'reconfirm': {
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
    }
    case 'rotate':
      throw new Error('rotate: an integration account cannot log on and holds no credentials');
  }
}

/**
 * A Proliance integration account: made by hand on an existing, active staff member or contact,
 * from the Organization work area (the seed's procedure), with a security category and roles.
 * Identified by its owner (one account per document). Read from the Accounts register export.
 * It cannot log on, so it has no credentials and no `roster test`; removal deactivates it.
 */
export const serviceAccountKind = {
  schema: serviceAccountSpec.schema,
  description:
    'Integration account on a staff member or contact: security category, roles and the external system it serves. Made by hand; read from the Accounts register export; cannot log on.',
  attributes: serviceAccountSpec.attributes,
  role: 'account',
  deleteMode: 'deactivate',
  onRemoveOptions: ['deactivate'],
  deactivation: { attribute: 'active', value: false, activeValue: true },
  capabilities: { create: 'manual', read: 'api', update: 'manual', delete: 'none' },
  outputs: { accountName: { description: 'The account name, as Proliance shows it.' } },
  untestable: 'an integration account cannot log on to Proliance, so roster cannot sign in as it',
  naturalKey: (spec) => ownerKey(spec.owner),
  naturalKeyAttribute: 'owner',
  runbook: serviceAccountRunbook,
  permissions: serviceAccountPermissions,
} satisfies KindDefinition;
