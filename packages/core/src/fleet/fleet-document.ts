import type { Severity } from '../diagnostics.js';
import type { JsonSchema } from '../provider.js';
import { BACKEND_SPEC_SCHEMA } from '../state/backend-document.js';

/** The name of a tenant: also its state folder and its PostgreSQL workspace. */
export const TENANT_NAME_PATTERN = '^[a-z0-9][a-z0-9_.-]{0,62}$';

// The Backend spec inside a Fleet document: the same keywords, without its own identity.
const { $schema: _schema, $id: _id, title: _title, ...BACKEND_SPEC } = BACKEND_SPEC_SCHEMA;

const LABELS = {
  type: 'object',
  propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9_./-]{0,62}$' },
  additionalProperties: { type: 'string' },
} as const;

/** JSON Schema of a `kind: Fleet` document (`fleet.yaml`). */
export const FLEET_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://roster.dev/schemas/Fleet.schema.json',
  title: 'roster fleet',
  description:
    'One baseline of manifests applied to many tenants (customer systems), each with its own state: roster fleet validate|plan|apply|drift|status -f DIR.',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata'],
  properties: {
    apiVersion: { const: 'roster/v1' },
    kind: { const: 'Fleet' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1 } },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        baseline: {
          type: 'string',
          minLength: 1,
          default: 'baseline',
          description: 'Directory of the baseline manifests, relative to fleet.yaml.',
        },
        tenants: {
          type: 'string',
          minLength: 1,
          default: 'tenants',
          description: 'Directory holding one directory per tenant (its tenant.yaml and own manifests).',
        },
        concurrency: {
          type: 'integer',
          minimum: 1,
          maximum: 64,
          default: 4,
          description: 'Tenants run at once (--concurrency overrides it).',
        },
        canary: {
          type: 'array',
          items: { type: 'string', pattern: TENANT_NAME_PATTERN },
          uniqueItems: true,
          description: 'Tenants `roster fleet apply --canary N` applies first (else the first N by name).',
        },
        deviations: {
          type: 'object',
          additionalProperties: false,
          properties: {
            expiredSeverity: {
              enum: ['error', 'warning', 'info'],
              default: 'warning',
              description: 'Severity of fleet.deviation-expired (error blocks the tenant).',
            },
          },
        },
        backend: BACKEND_SPEC,
      },
    },
  },
} as const satisfies JsonSchema;

/** JSON Schema of a `kind: Tenant` document (`tenants/<name>/tenant.yaml`). */
export const TENANT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://roster.dev/schemas/Tenant.schema.json',
  title: 'roster fleet tenant',
  description:
    "One tenant of a fleet: its labels (for selectors), the variables that fill the baseline's ${tenant.NAME} placeholders, and per Provider document of the baseline its endpoint, credentials and other settings.",
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'roster/v1' },
    kind: { const: 'Tenant' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          type: 'string',
          pattern: TENANT_NAME_PATTERN,
          description: "The tenant's name: its directory's name.",
        },
        labels: {
          ...LABELS,
          description: 'Matched by metadata.tenants selectors and --tenants label=value.',
        },
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        variables: {
          type: 'object',
          propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
          additionalProperties: { type: ['string', 'number', 'boolean'] },
          description:
            '${tenant.NAME} in baseline spec values and names (${tenant.name} is the tenant name unless set).',
        },
        providers: {
          type: 'object',
          additionalProperties: { type: 'object' },
          description:
            "Per baseline Provider document (by metadata.name): spec keys merged into it (endpoint, credentials, companyId…). Credentials are ${env:…}/${file:…}, files relative to the tenant's directory.",
        },
      },
    },
  },
} as const satisfies JsonSchema;

/** What a Fleet document says, with defaults filled. */
export interface FleetSettings {
  name: string;
  baseline: string;
  tenants: string;
  concurrency: number;
  canary: string[];
  expiredSeverity: Severity;
}

/** The settings of a valid Fleet document's value. */
export function fleetSettingsOf(value: Record<string, unknown>): FleetSettings {
  const spec = (value.spec ?? {}) as Record<string, unknown>;
  const deviations = (spec.deviations ?? {}) as { expiredSeverity?: Severity };
  return {
    name: String((value.metadata as { name: string }).name),
    baseline: typeof spec.baseline === 'string' ? spec.baseline : 'baseline',
    tenants: typeof spec.tenants === 'string' ? spec.tenants : 'tenants',
    concurrency: typeof spec.concurrency === 'number' ? spec.concurrency : 4,
    canary: Array.isArray(spec.canary) ? spec.canary.map(String) : [],
    expiredSeverity: deviations.expiredSeverity ?? 'warning',
  };
}
