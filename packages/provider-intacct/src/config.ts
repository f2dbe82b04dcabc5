import {
  credentialsOrPlaceholder,
  declaredCredentials,
  endpointSchema,
  isLoopback,
  type Secret,
  UserError,
} from '@roster/core';
import type { IntacctCredentials } from './client/client.js';

/** Sage's production API host. */
export const DEFAULT_ENDPOINT = 'https://api.intacct.com';

/**
 * What a sandbox client signs in with when the Provider document declares no credentials: the
 * simulator of such a sandbox accepts any client, and `Admin` is the standard user every company
 * starts with (so changes show as made by Admin, like in a fresh company).
 */
export const SANDBOX_PLACEHOLDER_CREDENTIALS: Readonly<Record<CredentialKey, string>> = {
  clientId: 'roster-sandbox',
  clientSecret: 'roster-sandbox',
  userId: 'Admin',
};

/** JSON Schema of the Provider document's `spec` for `type: intacct`. */
export const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://roster.dev/schemas/intacct/Provider.schema.json',
  title: 'Sage Intacct provider',
  description: 'A Sage Intacct company reached through the REST API (v1), or its local sandbox.',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'companyId'],
  properties: {
    type: { const: 'intacct', description: 'Provider type.' },
    endpoint: endpointSchema({
      description:
        'sandbox (the simulator, persisted under .roster/sandbox/), an https URL of the API host (default https://api.intacct.com), or the http://127.0.0.1:PORT of `roster sandbox serve`.',
      default: DEFAULT_ENDPOINT,
      https: 'API host over HTTPS.',
    }),
    companyId: { type: 'string', minLength: 1, description: 'Intacct company ID.' },
    entityId: {
      type: 'string',
      minLength: 1,
      description: 'Entity to sign in at (multi-entity companies); omit to work at the top level.',
    },
    credentials: {
      type: 'object',
      description: 'OAuth2 client credentials of a web services user; values as ${env:NAME} or ${file:path}.',
      additionalProperties: false,
      required: ['clientId', 'clientSecret', 'userId'],
      properties: {
        clientId: { type: 'string', description: 'OAuth2 client ID of the Sage developer application.' },
        clientSecret: { type: 'string', description: 'OAuth2 client secret of the application.' },
        userId: { type: 'string', description: 'ID of the Intacct (web services) user roster acts as.' },
      },
    },
  },
} as const;

/** The Provider document's settings, defaults applied. */
export interface IntacctConfig {
  /** `sandbox`, or the API host URL without a trailing slash. */
  endpoint: string;
  companyId: string;
  entityId?: string;
}

export function readConfig(name: string, config: Record<string, unknown>): IntacctConfig {
  const companyId = config.companyId;
  if (typeof companyId !== 'string' || companyId === '') {
    throw new UserError(`provider ${name}: companyId is required (the Intacct company ID)`);
  }
  const endpoint =
    typeof config.endpoint === 'string' ? config.endpoint.replace(/\/+$/, '') : DEFAULT_ENDPOINT;
  if (endpoint !== 'sandbox' && !endpoint.startsWith('https://') && !isLoopback(endpoint)) {
    throw new UserError(
      `provider ${name}: endpoint ${endpoint} must be sandbox, an https:// URL, or a loopback http:// URL of a served sandbox`,
    );
  }
  return {
    endpoint,
    companyId,
    ...(typeof config.entityId === 'string' && config.entityId ? { entityId: config.entityId } : {}),
  };
}

/** The keys of `credentials` in the Provider document. */
export const CREDENTIAL_KEYS = ['clientId', 'clientSecret', 'userId'] as const;
type CredentialKey = (typeof CREDENTIAL_KEYS)[number];

/**
 * What the client signs in with: the declared credentials; or, for a sandbox (embedded or served
 * on loopback) that declares none, placeholders that such a sandbox accepts.
 */
export function clientCredentials(
  name: string,
  cfg: IntacctConfig,
  creds: Record<string, Secret | undefined>,
): IntacctCredentials {
  const declared = declaredCredentials(name, creds, CREDENTIAL_KEYS);
  return credentialsOrPlaceholder<IntacctCredentials>({
    name,
    endpoint: cfg.endpoint,
    declared: declared && {
      clientId: declared.clientId,
      clientSecret: declared.clientSecret,
      userId: declared.userId.reveal(),
    },
    placeholder: SANDBOX_PLACEHOLDER_CREDENTIALS,
    needs: `credentials (clientId, clientSecret, userId), e.g. clientSecret: \${env:INTACCT_CLIENT_SECRET}`,
  });
}
