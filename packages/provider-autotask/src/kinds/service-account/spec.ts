import {
  bool,
  credentials,
  EMAIL_PATTERN,
  int,
  ref,
  type SpecOf,
  secretPlace,
  spec,
  str,
} from '@roster/core';
import { SCHEMA_BASE } from '../common.js';

/** The `spec` of a ServiceAccount (an Autotask API user), as manifests give it: schema, rules and type. */
export const serviceAccountSpec = spec(
  {
    firstName: str({
      minLength: 1,
      maxLength: 50,
      doc: 'First Name (default: the resource name).',
      summary: 'First Name.',
    }),
    lastName: str({ minLength: 1, maxLength: 50, doc: 'Last Name (default: API).', summary: 'Last Name.' }),
    // The natural key: Autotask generates the username (key), so the e-mail is what a manifest knows.
    email: str({
      maxLength: 254,
      pattern: EMAIL_PATTERN,
      doc: 'Email Address: identifies the API user (Autotask generates its username). Use a mailbox the team reads: Autotask writes to it when the account is locked.',
      summary: 'Email Address; identifies the API user.',
    }),
    securityLevel: ref('SecurityLevel', {
      doc: 'The SecurityLevel (same provider) the API user has; Autotask cannot report it, so it is attested.',
      verifiable: false,
      update: 'manual',
      privilege: true,
      summary: 'Security level; set in the UI, not readable by the API.',
    }),
    integrationVendor: str({
      minLength: 1,
      maxLength: 100,
      doc: 'Integration Vendor (API Tracking Identifier), e.g. "Office Protect - Alert Integration". Fixed at creation: another vendor means a new API user with new credentials.',
      fixedAtCreation: true,
      verifiable: false,
      // Only ever set in the UI's form, at creation; a different vendor is a replacement.
      update: 'manual',
      summary: 'Integration vendor (API tracking identifier); fixed at creation, not readable by the API.',
    }),
    active: bool({
      default: true,
      doc: 'Active; an inactive API user cannot sign in. Removing the resource deactivates it.',
      summary: 'Active (REST isActive); deactivation sets it false.',
    }),
    locked: bool({
      default: false,
      doc: 'Locked; a locked API user cannot sign in.',
      verifiable: false,
      update: 'manual',
      summary: 'Locked; set in the UI, not readable by the API.',
    }),
    // roster's own: the integration needs to read costs (policy autotask.cost-reading-base-level).
    needsCosts: bool({
      default: false,
      doc: "The integration needs to read costs, so its security level may descend from the cost-reading API level (roster's own: never sent to Autotask).",
      local: true,
      summary: 'Whether the integration must read costs (roster policy input; not an Autotask field).',
    }),
    credentials: credentials(
      {
        secret: secretPlace({ doc: 'The API user’s Password (Secret), as ${env:NAME} or ${file:path}.' }),
        integrationCode: secretPlace({
          doc: 'The API Tracking Identifier its integration sends as ApiIntegrationCode (the integration vendor’s; Autotask refuses any other for this API user), as ${env:NAME} or ${file:path}. `roster test` signs in with it; without it, with the provider’s integrationCode.',
        }),
        rotateAfterDays: int({
          minimum: 1,
          doc: 'Rotate the secret (Edit › Generate Secret) after this many days.',
        }),
      },
      {
        doc: 'Where the secret Autotask shows once at creation is stored (never sent to Autotask, never diffed).',
        summary: 'Where the secret shown once at creation is kept; rotation period.',
      },
    ),
  },
  {
    required: ['email', 'securityLevel', 'integrationVendor'],
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE}/ServiceAccount.schema.json`,
    title: 'Autotask API user',
    doc: 'An API-only Autotask resource (Resources/Users › New API User): no UI sign-in, a generated username (key) and secret, a security level and an integration vendor. Created in the UI; names, e-mail and active are read and updated through the REST API.',
  },
);

/** The `spec` of a ServiceAccount. */
export type ServiceAccountSpec = SpecOf<typeof serviceAccountSpec>;

/** The natural key of an e-mail address: Autotask compares addresses without regard to case. */
export function normalizeEmail(email: unknown): string {
  return String(email ?? '')
    .trim()
    .toLowerCase();
}
