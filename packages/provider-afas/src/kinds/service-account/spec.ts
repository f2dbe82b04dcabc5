import { EMAIL_PATTERN } from '@roster/core';
import { CODE_PATTERN, refSchema, SCHEMA_BASE } from '../common.js';

/** The `spec` of a ServiceAccount, as manifests give it and as it is read back. */
export interface ServiceAccountSpec {
  userId: string;
  name?: string;
  email?: string;
  person?: string;
  windows?: boolean;
  inSite?: boolean;
  groups?: Array<{ ref: string }>;
  connector?: { ref: string };
  blocked?: boolean;
  credentials?: { token?: unknown; rotateAfterDays?: number };
}

export const serviceAccountSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${SCHEMA_BASE}/ServiceAccount.schema.json`,
  title: 'AFAS Profit token user',
  description:
    'A Profit user (UpdateConnector KnUser) that exchanges data through an app connector with a user token.',
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: {
    userId: {
      type: 'string',
      minLength: 1,
      maxLength: 80,
      pattern: CODE_PATTERN,
      description:
        'User code (KnUser UsId); on AFAS Online <participant number>.<code>, e.g. 12345.WS-INVOICE. Immutable.',
    },
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 80,
      description: 'Description of the user (KnUser Nm); the user code when not given.',
    },
    email: {
      type: 'string',
      maxLength: 255,
      pattern: EMAIL_PATTERN,
      description:
        'E-mail address (KnUser EmAd). AFAS does not require one; roster does (rule afas.roster-email-required), for the OTP token flow.',
    },
    person: {
      type: 'string',
      minLength: 1,
      maxLength: 15,
      description:
        'Code of the person (employee) the user is linked to (KnUser BcCo, "Person code"; read back as Profit_Users PersonId). Optional: a system user is linked to no one.',
    },
    windows: {
      type: 'boolean',
      description: 'Profit Windows access (KnUser Awin). AFAS recommends integration users without it.',
    },
    inSite: {
      type: 'boolean',
      description: 'InSite access (KnUser InSi). Windows or InSite must be enabled.',
    },
    groups: {
      type: 'array',
      uniqueItems: true,
      description:
        'User groups (Group resources) the user is a member of, besides the group of all users; compared as a set.',
      items: refSchema('A Group of the same provider.'),
    },
    connector: refSchema(
      'The app connector (a Connector of the same provider) the user holds a token for. The token is issued by hand and shown once.',
    ),
    blocked: { type: 'boolean', description: 'Blocked: the user cannot sign in or exchange data.' },
    credentials: {
      type: 'object',
      additionalProperties: false,
      description: 'Where the token AFAS shows once is stored (roster never sends or reads it from AFAS).',
      properties: {
        token: {
          type: 'string',
          description: '${env:NAME} or ${file:path} that holds (or will hold) the token.',
        },
        rotateAfterDays: {
          type: 'integer',
          minimum: 1,
          maximum: 3650,
          description:
            'Rotate the token after this many days (rotating = delete the token and add a new one).',
        },
      },
    },
  },
} as const;
