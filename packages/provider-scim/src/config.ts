import { endpointSchema, type JsonSchema } from '@roster/core';

/** The Provider document's `spec` for `type: scim` (without `credentials`). */
export interface ScimConfig {
  endpoint: string;
  /**
   * For servers that mark service users by an attribute or a schema extension: only users whose
   * `attribute` (a core name, or URN-qualified for an extension) holds `value` are service accounts;
   * roster sets it on the users it creates and leaves every other user alone.
   */
  serviceAccounts?: { attribute: string; value: string | boolean };
  /** Resources asked for per page (`count`); the server may send fewer. Default 100. */
  pageSize?: number;
}

export const DEFAULT_PAGE_SIZE = 100;

/** What a sandbox client sends when the Provider document declares no credentials. */
export const SANDBOX_PLACEHOLDER_TOKEN = 'roster-sandbox';

const secretValue = (description: string) => ({ type: 'string', description });

/** JSON Schema of the Provider document's `spec` for `type: scim`. */
export const configSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://roster.dev/schemas/scim/Provider.schema.json',
  title: 'SCIM 2.0 provider',
  description: 'Any SCIM 2.0 service (RFC 7643/7644): its service users and groups.',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'endpoint'],
  properties: {
    type: { const: 'scim', description: 'Provider type.' },
    endpoint: endpointSchema({
      description:
        'The SCIM base URL (e.g. https://tools.example.com/scim/v2, where /ServiceProviderConfig is found), sandbox (the simulator, persisted under .roster/sandbox/), or the http://127.0.0.1:PORT/scim/v2 of `roster sandbox serve`.',
      https: 'The SCIM base URL over HTTPS.',
    }),
    credentials: {
      description:
        'How roster signs in: a bearer token, or HTTP basic; values as ${env:NAME} or ${file:path}.',
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['token'],
          properties: { token: secretValue('Bearer token (Authorization: Bearer).') },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password'],
          properties: {
            username: secretValue('HTTP basic username.'),
            password: secretValue('HTTP basic password.'),
          },
        },
      ],
    },
    serviceAccounts: {
      type: 'object',
      additionalProperties: false,
      required: ['attribute', 'value'],
      description:
        'For servers that mark service users: the attribute (e.g. userType, or urn:…:extension:…:User:isServiceAccount) and the value that marks one. Only marked users are read; roster marks the users it creates.',
      properties: {
        attribute: { type: 'string', pattern: '^(urn:[^\\s"]+:)?[A-Za-z][\\w$-]*$' },
        value: { type: ['string', 'boolean'] },
      },
    },
    pageSize: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: DEFAULT_PAGE_SIZE,
      description: 'Resources asked for per page (count); a server that sends fewer is paged further.',
    },
  },
};
