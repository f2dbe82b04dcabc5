import type { JsonSchema, Provider } from '../provider.js';
import { PROJECT_KINDS } from './identity.js';
import { type ResourceKind, ROLE_SUMMARIES, resourceKinds } from './resource-kinds.js';

// The parts of the envelope that do not depend on which providers are registered.
const METADATA = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  description:
    "Identity of the document. A resource's address is <provider>/<Kind>/<name>; a Provider's is Provider/<name>.",
  properties: {
    name: {
      type: 'string',
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      maxLength: 63,
      description:
        'Name, unique per provider and kind: lowercase letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters. Other resources refer to it with { ref: <name> }.',
    },
    provider: {
      type: 'string',
      description:
        'metadata.name of the Provider document of the system this resource lives in. Required on every kind except Provider.',
    },
    labels: {
      type: 'object',
      additionalProperties: {
        type: 'string',
        description: 'Label value.',
      },
      description:
        'Free key/value pairs for people and tooling, e.g. owner and purpose of a service account. Not sent to the system.',
    },
    annotations: {
      type: 'object',
      additionalProperties: {
        type: 'string',
        description: 'Annotation value.',
      },
      description:
        'Free notes that roster keeps with the document and does not interpret. Not sent to the system.',
    },
  },
};

const SPEC = {
  type: 'object',
  description:
    'What the Provider or resource should be. Its fields depend on the provider type and the kind. Credentials go in a credentials block, each value ${env:NAME} or ${file:PATH}; those references are allowed nowhere else.',
};

const LIFECYCLE = {
  type: 'object',
  additionalProperties: false,
  description: 'How roster may change or remove this resource.',
  properties: {
    preventDestroy: {
      type: 'boolean',
      description: 'Refuse any plan that would delete, deactivate or replace this resource.',
    },
    allowReplace: {
      type: 'boolean',
      description:
        'Allow replacing the object when an immutable or fixed-at-creation attribute changes (a replaced service account gets new credentials, which breaks its integration until they are updated).',
    },
    onRemove: {
      enum: ['delete', 'deactivate'],
      description:
        "What removing the resource from the manifests does: delete the object, or deactivate it. The default is the kind's; some kinds allow only one.",
    },
    ignoreChanges: {
      type: 'array',
      items: {
        type: 'string',
        minLength: 1,
      },
      uniqueItems: true,
      description:
        "Spec attributes set when the object is created and left alone afterwards: never compared with the system, never planned back, never reported as drift (Terraform's ignore_changes). Privilege attributes (roles, groups, permissions, …) are otherwise always guarded, an absent field meaning none; ignoring one is a warning in every plan.",
    },
  },
};

const PROVIDER_RULE = {
  $comment: 'A Provider document names its type, and has neither a provider nor a lifecycle.',
  if: {
    properties: {
      kind: {
        const: 'Provider',
      },
    },
    required: ['kind'],
  },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
  then: {
    properties: {
      metadata: {
        properties: {
          provider: false,
        },
      },
      spec: {
        required: ['type'],
        properties: {
          type: {
            type: 'string',
            description: 'Provider type: the system this Provider configures (see `roster providers`).',
          },
          attestationMaxAgeDays: {
            type: 'integer',
            minimum: 1,
            default: 90,
            description:
              "Days a person's confirmation of an attribute roster cannot read (attestation) holds; after that, plan asks for it again as a manual re-confirm step.",
          },
        },
      },
      lifecycle: false,
    },
  },
};

const PROJECT_RULE = {
  $comment: 'Policy and Backend documents belong to the project: no provider, no lifecycle.',
  if: {
    properties: {
      kind: {
        enum: ['Policy', 'Backend'],
      },
    },
    required: ['kind'],
  },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
  then: {
    properties: {
      metadata: {
        properties: {
          provider: false,
        },
      },
      lifecycle: false,
    },
  },
};

const cache = new Map<string, JsonSchema>();

/**
 * The manifest envelope schema (`apiVersion`, `kind`, `metadata`, `spec`, `lifecycle`) for these
 * providers: `kind` is a project kind (Provider, Policy, Backend) or one some provider declares, and
 * a resource names its provider. The loader validates with it and `pnpm schemas` publishes it as
 * `schemas/manifest.schema.json`, so no list of kinds is kept by hand. The same providers yield the
 * same schema object, whose compiled validator is kept for the life of the process.
 */
export function buildEnvelopeSchema(providers: readonly Provider[]): JsonSchema {
  const kinds = resourceKinds(providers);
  const key = JSON.stringify(kinds);
  let schema = cache.get(key);
  if (!schema) {
    schema = envelopeFor(kinds);
    cache.set(key, schema);
  }
  return schema;
}

function envelopeFor(kinds: readonly ResourceKind[]): JsonSchema {
  const names = kinds.map((k) => k.kind);
  const described = kinds.map(
    (k) =>
      ` ${k.kind}: ${k.roles.map((r) => ROLE_SUMMARIES[r]).join('; ')} (provider types: ${k.types.join(', ')}).`,
  );
  const [provider, ...project] = [...PROJECT_KINDS];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://roster.dev/schemas/manifest.schema.json',
    title: 'roster manifest document',
    description:
      "One roster document: a Provider (a configured system) or a resource kept in it. Many documents per file, separated by ---. The spec of a Provider is validated against its type's configuration schema, the spec of a resource against the provider's schema for its kind (schemas/<type>/<Kind>.schema.json).",
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    additionalProperties: false,
    properties: {
      apiVersion: {
        const: 'roster/v1',
        description: 'Version of the document format. Always roster/v1.',
      },
      kind: {
        enum: [provider, ...names, ...project],
        description: `What the document declares. Provider: a configured system (its type, endpoint and credentials). Policy: settings of the built-in policy rules (severity, options, exceptions with reasons), which belongs to the project, not to a provider (schemas/Policy.schema.json). Backend: where state lives (local, or a shared PostgreSQL database), also a project document (schemas/Backend.schema.json). Every other kind is declared by provider types, its spec by schemas/<type>/<Kind>.schema.json:${described.join('')}`,
      },
      metadata: METADATA,
      spec: SPEC,
      lifecycle: LIFECYCLE,
    },
    allOf: [
      PROVIDER_RULE,
      PROJECT_RULE,
      // An empty `enum` is no schema: with no provider registered there is no resource kind.
      ...(names.length > 0
        ? [
            {
              $comment: 'Every other kind lives in a provider.',
              if: { properties: { kind: { enum: names } }, required: ['kind'] },
              // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
              then: { properties: { metadata: { required: ['name', 'provider'] } } },
            },
          ]
        : []),
    ],
  };
}
