import type { AttributeRule } from '@roster/core';
import { EMAIL_PATTERN } from '@roster/core';
import { refSchema, SCHEMA_BASE } from '../common.js';

/** The `spec` of a ServiceAccount (an Autotask API user), as manifests give it. */
export interface ServiceAccountSpec {
  firstName?: string;
  lastName?: string;
  /** The natural key: Autotask generates the username (key), so the e-mail is what a manifest knows. */
  email: string;
  securityLevel: { ref: string };
  integrationVendor: string;
  active?: boolean;
  locked?: boolean;
  /** roster's own: where the secret Autotask shows once is kept, and how often to rotate it. */
  credentials?: { secret?: unknown; integrationCode?: unknown; rotateAfterDays?: number };
  /** roster's own: the integration needs to read costs (policy autotask.cost-reading-base-level). */
  needsCosts?: boolean;
}

/** JSON Schema of a ServiceAccount `spec`. */
export const serviceAccountSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${SCHEMA_BASE}/ServiceAccount.schema.json`,
  title: 'Autotask API user',
  description:
    'An API-only Autotask resource (Resources/Users › New API User): no UI sign-in, a generated username (key) and secret, a security level and an integration vendor. Created in the UI; names, e-mail and active are read and updated through the REST API.',
  type: 'object',
  additionalProperties: false,
  required: ['email', 'securityLevel', 'integrationVendor'],
  properties: {
    firstName: {
      type: 'string',
      minLength: 1,
      maxLength: 50,
      description: 'First Name (default: the resource name).',
    },
    lastName: { type: 'string', minLength: 1, maxLength: 50, description: 'Last Name (default: API).' },
    email: {
      type: 'string',
      maxLength: 254,
      pattern: EMAIL_PATTERN,
      description:
        'Email Address: identifies the API user (Autotask generates its username). Use a mailbox the team reads: Autotask writes to it when the account is locked.',
    },
    securityLevel: refSchema(
      'The SecurityLevel (same provider) the API user has; Autotask cannot report it, so it is attested.',
    ),
    integrationVendor: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description:
        'Integration Vendor (API Tracking Identifier), e.g. "Office Protect - Alert Integration". Fixed at creation: another vendor means a new API user with new credentials.',
    },
    active: {
      type: 'boolean',
      default: true,
      description: 'Active; an inactive API user cannot sign in. Removing the resource deactivates it.',
    },
    locked: { type: 'boolean', default: false, description: 'Locked; a locked API user cannot sign in.' },
    needsCosts: {
      type: 'boolean',
      default: false,
      description:
        "The integration needs to read costs, so its security level may descend from the cost-reading API level (roster's own: never sent to Autotask).",
    },
    credentials: {
      type: 'object',
      description:
        'Where the secret Autotask shows once at creation is stored (never sent to Autotask, never diffed).',
      additionalProperties: false,
      properties: {
        secret: {
          type: 'string',
          description: 'The API user’s Password (Secret), as ${env:NAME} or ${file:path}.',
        },
        integrationCode: {
          type: 'string',
          description:
            'The API Tracking Identifier its integration sends as ApiIntegrationCode (the integration vendor’s; Autotask refuses any other for this API user), as ${env:NAME} or ${file:path}. `roster test` signs in with it; without it, with the provider’s integrationCode.',
        },
        rotateAfterDays: {
          type: 'integer',
          minimum: 1,
          description: 'Rotate the secret (Edit › Generate Secret) after this many days.',
        },
      },
    },
  },
} as const;

/** Rules per attribute of a ServiceAccount `spec`. */
export const serviceAccountAttributes: Record<string, AttributeRule> = {
  firstName: { description: 'First Name.' },
  lastName: { description: 'Last Name.' },
  email: { description: 'Email Address; identifies the API user.' },
  securityLevel: {
    ref: 'SecurityLevel',
    verifiable: false,
    update: 'manual',
    privilege: true,
    description: 'Security level; set in the UI, not readable by the API.',
  },
  integrationVendor: {
    fixedAtCreation: true,
    verifiable: false,
    // Only ever set in the UI's form, at creation; a different vendor is a replacement.
    update: 'manual',
    description: 'Integration vendor (API tracking identifier); fixed at creation, not readable by the API.',
  },
  active: { description: 'Active (REST isActive); deactivation sets it false.' },
  locked: {
    verifiable: false,
    update: 'manual',
    description: 'Locked; set in the UI, not readable by the API.',
  },
  needsCosts: {
    local: true,
    description: 'Whether the integration must read costs (roster policy input; not an Autotask field).',
  },
  credentials: {
    local: true,
    description: 'Where the secret shown once at creation is kept; rotation period.',
  },
};

/** The natural key of an e-mail address: Autotask compares addresses without regard to case. */
export function normalizeEmail(email: unknown): string {
  return String(email ?? '')
    .trim()
    .toLowerCase();
}
