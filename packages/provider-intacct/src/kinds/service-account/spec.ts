import {
  choice,
  credentials,
  EMAIL_PATTERN,
  int,
  obj,
  refs,
  type SpecOf,
  secretPlace,
  spec,
  str,
} from '@roster/core';
import { SCHEMA_BASE } from '../common.js';

/** Intacct user types (REST `userType`) a web services user may have. */
export const SERVICE_ACCOUNT_USER_TYPES = [
  'business',
  'employee',
  'viewOnly',
  'projectManager',
  'paymentApprover',
  'platform',
  'dashboard',
] as const;
export const ADMIN_PRIVILEGE_LEVELS = ['off', 'limited', 'full'] as const;
/** roster's words for REST `status`: `locked` is REST `lockedOut`. */
export const SERVICE_ACCOUNT_STATUSES = ['active', 'locked', 'inactive'] as const;

export type ServiceAccountStatus = (typeof SERVICE_ACCOUNT_STATUSES)[number];

/** An e-mail address: 254 characters at most (RFC 5321). */
const email = (doc: string) => str({ maxLength: 254, pattern: EMAIL_PATTERN, doc });
// No vendor field lengths in the api-notes: generous caps (255; 254 for e-mail, RFC 5321), so a
// multi-megabyte value is refused at its manifest line instead of being sent.
const name = (doc: string) => str({ minLength: 1, maxLength: 255, doc });

/** The `spec` of a ServiceAccount (a web services user): its schema and its rules. */
export const serviceAccountSpec = spec(
  {
    id: str({
      minLength: 1,
      maxLength: 100,
      pattern: '^[^@|]+$',
      doc: 'User ID the integration signs in with. Unique in the company (also among standard users) and immutable once created.',
      immutable: true,
      summary: 'User ID; unique and immutable in Intacct.',
    }),
    userName: str({
      minLength: 1,
      maxLength: 255,
      doc: 'Name shown in the list of web services users.',
      summary: 'Name shown in the list of web services users.',
    }),
    email: str({
      maxLength: 254,
      pattern: EMAIL_PATTERN,
      doc: "Account e-mail (REST accountEmail). Must equal the contact's primary e-mail.",
      summary: "Account e-mail; Intacct requires it to equal the contact's primary e-mail.",
    }),
    contact: obj(
      {
        firstName: name('First name of the contact.'),
        lastName: name('Last name of the contact.'),
        email: email('Primary e-mail of the contact (REST email1).'),
      },
      {
        required: ['firstName', 'lastName', 'email'],
        doc: 'The contact record linked to the user (created with the user).',
        summary: 'Linked contact: first and last name, primary e-mail.',
      },
    ),
    userType: choice(SERVICE_ACCOUNT_USER_TYPES, {
      default: 'business',
      doc: 'The most the user can ever do; permissions narrow it. Admin privileges need business.',
      privilege: true,
      absent: 'business',
      summary: 'User type (the ceiling of what the user can do).',
    }),
    adminPrivileges: choice(ADMIN_PRIVILEGE_LEVELS, {
      default: 'off',
      doc: 'Administrator privileges; limited or full only for business users. Keep off for integrations.',
      privilege: true,
      absent: 'off',
      summary: 'off, limited or full; non-off only for business users.',
    }),
    status: choice(SERVICE_ACCOUNT_STATUSES, {
      default: 'active',
      doc: 'active, locked (cannot sign in) or inactive (deactivated). A new user is created active or locked only.',
      createValues: ['active', 'locked'],
      createAs: 'locked',
      summary:
        'active, locked or inactive; a new user is created active or locked, inactive only by a later edit.',
    }),
    roles: refs('SecurityLevel', {
      doc: 'Roles (SecurityLevel resources) given to the user; compared as a set.',
      item: 'A SecurityLevel of the same provider.',
      privilege: true,
      absent: [],
      summary: 'Roles of the user (replaced as a whole).',
    }),
    groups: refs('Group', {
      doc: 'User groups (Group resources) the user belongs to; compared as a set.',
      item: 'A Group of the same provider.',
      privilege: true,
      absent: [],
      summary: 'User groups (user-group-member objects).',
    }),
    credentials: credentials(
      {
        password: secretPlace({
          doc: 'The web services user’s password (used by XML API integrations), as ${env:NAME} or ${file:path}.',
        }),
        rotateAfterDays: int({
          minimum: 1,
          doc: 'Reset the password (Edit › Reset password) after this many days. A reset breaks the integrations that sign in with the old password until they get the new one.',
        }),
      },
      {
        doc: 'Where the integration keeps the password Intacct e-mails to the web services user (never sent to Intacct, never diffed), and how often to reset it.',
        summary: 'Where the integration keeps the password; reset period.',
      },
    ),
  },
  {
    required: ['id', 'email', 'contact'],
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE}/ServiceAccount.schema.json`,
    title: 'Sage Intacct web services user',
    doc: 'An API-only Intacct user (REST company-config/user with webServices.isRestricted: true): no UI sign-in, no SSO or MFA, a password that never expires.',
  },
);

/** The `spec` of a ServiceAccount, as manifests give it and as it is read back. */
export type ServiceAccountSpec = SpecOf<typeof serviceAccountSpec>;
