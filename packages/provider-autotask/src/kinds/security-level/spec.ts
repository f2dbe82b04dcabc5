import { bool, choice, list, map, oneOf, type SpecOf, spec, str } from '@roster/core';
import {
  PERMISSION_KEY_PATTERN,
  PERMISSION_RIGHTS,
  PERMISSION_SCOPES,
  RECOMMENDED_BASE_LEVEL,
  SYSTEM_API_LEVELS,
} from '../../facts.js';
import { SCHEMA_BASE } from '../common.js';

const copiedFrom = str({
  minLength: 1,
  maxLength: 100,
  default: RECOMMENDED_BASE_LEVEL,
  doc: `The API-user level it is a copy of: ${SYSTEM_API_LEVELS.join(' or ')} (recommended), or another API-only level. Only used at creation.`,
  fixedAtCreation: true,
  summary: 'The API-user level copied at creation; another base means a new copy.',
});

/**
 * The `spec` of a SecurityLevel: schema, rules and type. The REST API cannot read security levels,
 * so no attribute is verifiable: every one rests on attestation.
 */
export const securityLevelSpec = spec(
  {
    // The level's name in Autotask (its natural key).
    name: str({
      minLength: 1,
      maxLength: 100,
      doc: 'Name of the level in Autotask.',
      summary: 'Name of the level (renamed in the UI).',
    }),
    // `str` takes no `examples`: the editor offers the built-in levels.
    copiedFrom: { ...copiedFrom, schema: { ...copiedFrom.schema, examples: [...SYSTEM_API_LEVELS] } },
    // `Section › Object` → a scope, or the exact rights granted. Entries not listed keep the copy's.
    permissions: map(
      oneOf([
        choice(PERMISSION_SCOPES, { doc: 'How much of the object the level reaches.' }),
        list(choice(PERMISSION_RIGHTS), {
          uniqueItems: true,
          doc: 'Exactly the rights granted; those left out are not.',
        }),
      ]),
      {
        doc: 'Permissions by "Section › Object" (as the Security Levels page shows them): a scope (All, Mine, None) or the exact list of rights (View, Add, Edit, Delete). Entries not listed keep what the copy brought.',
        keys: PERMISSION_KEY_PATTERN,
        examples: [
          { 'CRM › Account & Contact Access': 'All', 'Service Desk › Tickets': ['View', 'Add', 'Edit'] },
        ],
        set: true,
        privilege: true,
        absent: {},
        summary: 'Permissions by "Section › Object": a scope or the exact rights.',
      },
    ),
    active: bool({
      default: true,
      doc: 'Active levels only can be given to API users; Autotask requires a used level to be active.',
      summary: 'Active levels only can be given to API users.',
    }),
  },
  {
    required: ['name'],
    defaults: { verifiable: false },
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE}/SecurityLevel.schema.json`,
    title: 'Autotask security level for API users',
    doc: 'A custom security level made in the Autotask UI by copying an API-user level. The REST API cannot read security levels: every attribute rests on attestation.',
  },
);

/** The `spec` of a SecurityLevel. */
export type SecurityLevelSpec = SpecOf<typeof securityLevelSpec>;
