import { bool, list, obj, refs, type SpecOf, spec, str } from '@roster/core';

/** A SCIM User roster manages as a service account (RFC 7643 §4.1, enterprise extension §4.3). */
export const serviceAccountSpec = spec(
  {
    userName: str({
      minLength: 1,
      maxLength: 255,
      doc: 'The SCIM userName: unique on the server, compared without regard to case (RFC 7643 §4.1).',
    }),
    displayName: str({ maxLength: 255, doc: 'The name shown for the user.' }),
    emails: list(
      obj(
        {
          value: str({ minLength: 3, maxLength: 255, doc: 'The address.' }),
          type: str({ maxLength: 50, doc: 'work, home, other, or what the server knows.' }),
          primary: bool({ doc: 'The primary address (one at most).' }),
        },
        { required: ['value'] },
      ),
      { doc: 'Email addresses, e.g. [{value: svc@example.com, primary: true}].', set: true },
    ),
    active: bool({ default: true, doc: 'Whether the user may sign in; removal sets it false by default.' }),
    externalId: str({ maxLength: 255, doc: 'Your identifier of the user, kept by the server as given.' }),
    enterprise: obj(
      {
        employeeNumber: str({ maxLength: 255 }),
        costCenter: str({ maxLength: 255 }),
        organization: str({ maxLength: 255 }),
        division: str({ maxLength: 255 }),
        department: str({ maxLength: 255 }),
      },
      {
        doc: 'Fields of the enterprise User extension (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User), where the server offers it.',
      },
    ),
    groups: refs('Group', {
      item: 'A Group of this provider the user is a member of.',
      doc: 'Groups the user is a direct member of (changed through each Group’s members).',
      privilege: true,
      absent: [],
      summary: 'membership is changed on the Group (PATCH members), never on the User',
    }),
  },
  {
    required: ['userName'],
    $id: 'https://roster.dev/schemas/scim/ServiceAccount.schema.json',
    title: 'SCIM service account',
  },
);

export type ServiceAccountSpec = SpecOf<typeof serviceAccountSpec>;
