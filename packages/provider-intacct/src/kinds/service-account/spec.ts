import type { AttributeRule } from '@roster/core';
import { EMAIL_PATTERN } from '@roster/core';
import { refSchema, SCHEMA_BASE } from '../common.js';

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

/** The `spec` of a ServiceAccount, as manifests give it and as it is read back. */
export interface ServiceAccountSpec {
  id: string;
  userName?: string;
  email: string;
  contact: { firstName: string; lastName: string; email: string };
  userType?: (typeof SERVICE_ACCOUNT_USER_TYPES)[number];
  adminPrivileges?: (typeof ADMIN_PRIVILEGE_LEVELS)[number];
  status?: ServiceAccountStatus;
  roles?: Array<{ ref: string }>;
  groups?: Array<{ ref: string }>;
  /** roster's own: where the integration keeps the user's password, and how often to reset it. */
  credentials?: { password?: unknown; rotateAfterDays?: number };
}

/** JSON Schema of a ServiceAccount's `spec`. */
export const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${SCHEMA_BASE}/ServiceAccount.schema.json`,
  title: 'Sage Intacct web services user',
  description:
    'An API-only Intacct user (REST company-config/user with webServices.isRestricted: true): no UI sign-in, no SSO or MFA, a password that never expires.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'email', 'contact'],
  properties: {
    id: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      pattern: '^[^@|]+$',
      description:
        'User ID the integration signs in with. Unique in the company (also among standard users) and immutable once created.',
    },
    // No vendor field lengths in the api-notes: generous caps (255; 254 for e-mail, RFC 5321), so a
    // multi-megabyte value is refused at its manifest line instead of being sent.
    userName: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'Name shown in the list of web services users.',
    },
    email: {
      type: 'string',
      maxLength: 254,
      pattern: EMAIL_PATTERN,
      description: "Account e-mail (REST accountEmail). Must equal the contact's primary e-mail.",
    },
    contact: {
      type: 'object',
      description: 'The contact record linked to the user (created with the user).',
      additionalProperties: false,
      required: ['firstName', 'lastName', 'email'],
      properties: {
        firstName: {
          type: 'string',
          minLength: 1,
          maxLength: 255,
          description: 'First name of the contact.',
        },
        lastName: { type: 'string', minLength: 1, maxLength: 255, description: 'Last name of the contact.' },
        email: {
          type: 'string',
          maxLength: 254,
          pattern: EMAIL_PATTERN,
          description: 'Primary e-mail of the contact (REST email1).',
        },
      },
    },
    userType: {
      enum: SERVICE_ACCOUNT_USER_TYPES,
      default: 'business',
      description: 'The most the user can ever do; permissions narrow it. Admin privileges need business.',
    },
    adminPrivileges: {
      enum: ADMIN_PRIVILEGE_LEVELS,
      default: 'off',
      description:
        'Administrator privileges; limited or full only for business users. Keep off for integrations.',
    },
    status: {
      enum: SERVICE_ACCOUNT_STATUSES,
      default: 'active',
      description:
        'active, locked (cannot sign in) or inactive (deactivated). A new user is created active or locked only.',
    },
    roles: {
      type: 'array',
      description: 'Roles (SecurityLevel resources) given to the user; compared as a set.',
      items: refSchema('A SecurityLevel of the same provider.'),
    },
    groups: {
      type: 'array',
      description: 'User groups (Group resources) the user belongs to; compared as a set.',
      items: refSchema('A Group of the same provider.'),
    },
    credentials: {
      type: 'object',
      description:
        'Where the integration keeps the password Intacct e-mails to the web services user (never sent to Intacct, never diffed), and how often to reset it.',
      additionalProperties: false,
      properties: {
        password: {
          type: 'string',
          description:
            'The web services user’s password (used by XML API integrations), as ${env:NAME} or ${file:path}.',
        },
        rotateAfterDays: {
          type: 'integer',
          minimum: 1,
          description:
            'Reset the password (Edit › Reset password) after this many days. A reset breaks the integrations that sign in with the old password until they get the new one.',
        },
      },
    },
  },
} as const;

/** Rules per attribute of a ServiceAccount's `spec`. */
export const attributes = {
  id: { immutable: true, description: 'User ID; unique and immutable in Intacct.' },
  userName: { description: 'Name shown in the list of web services users.' },
  email: { description: "Account e-mail; Intacct requires it to equal the contact's primary e-mail." },
  contact: { description: 'Linked contact: first and last name, primary e-mail.' },
  userType: {
    privilege: true,
    absent: 'business',
    description: 'User type (the ceiling of what the user can do).',
  },
  adminPrivileges: {
    privilege: true,
    absent: 'off',
    description: 'off, limited or full; non-off only for business users.',
  },
  status: {
    createValues: ['active', 'locked'],
    createAs: 'locked',
    description:
      'active, locked or inactive; a new user is created active or locked, inactive only by a later edit.',
  },
  roles: {
    ref: 'SecurityLevel',
    set: true,
    privilege: true,
    absent: [],
    description: 'Roles of the user (replaced as a whole).',
  },
  groups: {
    ref: 'Group',
    set: true,
    privilege: true,
    absent: [],
    description: 'User groups (user-group-member objects).',
  },
  credentials: {
    local: true,
    description: 'Where the integration keeps the password; reset period.',
  },
} satisfies Record<string, AttributeRule>;
