import { type SpecOf, spec, str } from '@roster/core';

/** A SCIM Group (RFC 7643 §4.2); its members are the ServiceAccounts that name it. */
export const groupSpec = spec(
  {
    displayName: str({
      minLength: 1,
      maxLength: 255,
      doc: 'The group’s name on the server (REQUIRED, RFC 7643 §4.2).',
    }),
  },
  {
    required: ['displayName'],
    $id: 'https://roster.dev/schemas/scim/Group.schema.json',
    title: 'SCIM group',
  },
);

export type GroupSpec = SpecOf<typeof groupSpec>;
