import { bool, obj, oneOf, type RuleOptions, refs, type SpecOf, spec, str } from '@roster/core';
import { ID_PATTERN, SCHEMA_BASE, TEXT_PATTERN } from '../common.js';

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
