import { endpointSchema, type JsonSchema } from '@roster/core';

/** Addresses that look like a person's own mailbox: `first.last@…` or `first_last@…`. */
export const DEFAULT_PERSONAL_PATTERN = '^[a-z]+[._][a-z]+@';

/** The Provider document's `spec` for `type: getint`. */
export interface GetintConfig {
  endpoint: string;
  /** A regular expression (case-insensitive) an external account's user must NOT match. */
  personalMailboxPattern?: string;
  /** External users allowed even though they match the pattern (documented exceptions). */
  serviceAccountExceptions?: string[];
  /** Labels every connection (and managed account) must have; default owner and purpose. */
  requireLabels?: string[];
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'endpoint'],
  properties: {
    type: { const: 'getint' },
    endpoint: endpointSchema({
      description:
        'sandbox, or the Getint instance URL (https://app.getint.io, or the Getint app in your Jira). Getint has no management API: roster guides every change and keeps connections from state.',
      https: 'The Getint instance over HTTPS.',
    }),
    personalMailboxPattern: {
      type: 'string',
      description: `Case-insensitive regular expression of personal addresses (default ${DEFAULT_PERSONAL_PATTERN}).`,
    },
    serviceAccountExceptions: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    requireLabels: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  },
};
