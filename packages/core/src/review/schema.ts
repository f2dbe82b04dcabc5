import type { JsonSchema } from '../provider.js';

const nullableString = { type: ['string', 'null'] } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;

/** RFC 3339 date, or date-time (`2026-12-07`, `2026-12-07T10:00:00Z`). */
const DATE_OR_TIME =
  '^\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?([Zz]|[+-]\\d{2}:\\d{2})?)?$';

/**
 * The review file (`kind: AccessReview`, `schemas/review.schema.json`): what `roster review start`
 * writes and reviewers edit, one `decision` per account. Closed objects: a misspelt key is an
 * error at its line rather than a decision silently missing.
 */
export const REVIEW_FILE_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://roster.dev/schemas/review.schema.json',
  title: 'roster access review',
  description:
    'A periodic access review: the population roster review start froze (every account the systems hold, with its effective permissions), and one decision per account that reviewers add through pull requests. roster review check fails while a decision is missing, made by the account owner, or not yet enacted.',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'roster/v1' },
    kind: { const: 'AccessReview' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1 } },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['period', 'startedAt', 'startedBy', 'refreshHash', 'populationHash', 'population'],
      properties: {
        period: { type: 'string', description: 'e.g. 2026-Q4.', minLength: 1 },
        startedAt: { type: 'string', pattern: DATE_OR_TIME },
        startedBy: { type: 'string', minLength: 1 },
        refreshHash: {
          type: 'string',
          pattern: '^sha256:[0-9a-f]{64}$',
          description:
            'SHA-256 of the canonical JSON of the refreshed inventory the population was taken from.',
        },
        populationHash: {
          type: 'string',
          pattern: '^sha256:[0-9a-f]{64}$',
          description: 'SHA-256 of the canonical JSON of the population without its decisions.',
        },
        population: { type: 'array', items: { $ref: '#/$defs/item' } },
      },
    },
  },
  $defs: {
    item: {
      type: 'object',
      additionalProperties: false,
      required: [
        'address',
        'naturalKey',
        'id',
        'system',
        'provider',
        'kind',
        'status',
        'owner',
        'backupOwner',
        'purpose',
        'roles',
        'permissions',
        'lastUsedAt',
      ],
      properties: {
        address: { type: 'string', minLength: 1 },
        naturalKey: { type: 'string' },
        id: nullableString,
        system: { type: 'string' },
        provider: { type: 'string' },
        kind: { type: 'string' },
        status: { enum: ['managed', 'unmanaged', 'deactivated'] },
        owner: nullableString,
        backupOwner: nullableString,
        purpose: nullableString,
        roles: strings,
        permissions: strings,
        lastUsedAt: nullableString,
        file: { type: 'string', description: 'The manifest file that declared the account at the start.' },
        decision: { $ref: '#/$defs/decision' },
      },
    },
    decision: {
      type: 'object',
      additionalProperties: false,
      required: ['decision', 'reviewer', 'at', 'comment'],
      description: "A reviewer's decision; the reviewer must not be the account's owner or backup owner.",
      properties: {
        decision: { enum: ['keep', 'revoke', 'change'] },
        reviewer: { type: 'string', minLength: 1 },
        at: { type: 'string', pattern: DATE_OR_TIME, description: 'RFC 3339 date or date-time.' },
        comment: { type: 'string', minLength: 1 },
      },
    },
  },
};
