import type { Diagnostic } from '../diagnostics.js';
import type { SchemaValidator } from '../manifest/schema-validator.js';
import type { SourceMap } from '../manifest/source-map.js';
import type { ManifestDocument } from '../manifest/types.js';
import { validateAgainst } from '../manifest/validate.js';
import type { JsonSchema } from '../provider.js';
import { isSecret, type Secret } from '../secret.js';

/** Backend types a `kind: Backend` document may name (the CLI maps each to its implementation). */
export const BACKEND_TYPES = ['local', 'postgres'] as const;

/** JSON Schema of a `kind: Backend` document's `spec`. */
export const BACKEND_SPEC_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://roster.dev/schemas/Backend.schema.json',
  title: 'roster state backend',
  description:
    'Where state, its lock, journal and audit log live. local: .roster/ of the project (the default). postgres: a PostgreSQL database shared by a team’s pipelines, one row per workspace.',
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { enum: [...BACKEND_TYPES], description: 'local or postgres.' },
    workspace: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9_.-]{0,62}$',
      default: 'default',
      description: 'State of one environment (e.g. prod, staging); --workspace overrides it.',
    },
    credentials: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      description:
        'For postgres: the connection string, as ${env:NAME} or ${file:PATH} (it holds a password).',
      properties: {
        url: { type: 'string', description: 'postgres://user:password@host:port/database' },
      },
    },
  },
} as const satisfies JsonSchema;

/** What a Backend document says. */
export interface BackendSettings {
  type: (typeof BACKEND_TYPES)[number];
  workspace?: string;
  url?: Secret;
  /** `Backend/<name>` and where it is, for messages. */
  address: string;
  file: string;
  line: number;
}

/** Read the project's `kind: Backend` document (at most one), validated. */
export function readBackendDocument(req: {
  documents: readonly ManifestDocument[];
  maps: ReadonlyMap<ManifestDocument, SourceMap>;
  validator: SchemaValidator;
}): { backend?: BackendSettings; diagnostics: Diagnostic[] } {
  const docs = req.documents.filter((d) => d.kind === 'Backend');
  const diagnostics: Diagnostic[] = [];
  if (docs.length === 0) return { diagnostics };
  const [doc, ...extra] = docs as [ManifestDocument, ...ManifestDocument[]];
  for (const d of extra) {
    const first = doc.source.positionOf('/metadata/name');
    diagnostics.push({
      severity: 'error',
      code: 'manifest.backend',
      message: `a project has one Backend document; ${doc.address} is at ${first.file}:${first.line}`,
      ...d.source.positionOf('/metadata/name'),
      address: d.address,
    });
  }
  const map = req.maps.get(doc);
  if (!map) return { diagnostics };
  const problems = validateAgainst(
    req.validator,
    BACKEND_SPEC_SCHEMA,
    doc.spec,
    '/spec',
    map,
    'the Backend schema',
  );
  diagnostics.push(...problems.map((p) => ({ ...p, address: doc.address })));
  if (problems.length > 0) return { diagnostics };
  const url = (doc.spec.credentials as { url?: unknown } | undefined)?.url;
  const type = doc.spec.type as BackendSettings['type'];
  if (type === 'postgres' && !isSecret(url)) {
    diagnostics.push({
      severity: 'error',
      code: 'manifest.backend',
      message:
        'a postgres Backend needs credentials: { url: ${env:NAME} } (the connection string holds a password)',
      ...doc.source.positionOf('/spec/credentials'),
      address: doc.address,
    });
    return { diagnostics };
  }
  const at = doc.source.positionOf('');
  return {
    backend: {
      type,
      ...(typeof doc.spec.workspace === 'string' ? { workspace: doc.spec.workspace } : {}),
      ...(isSecret(url) ? { url } : {}),
      address: doc.address,
      file: at.file,
      line: at.line,
    },
    diagnostics,
  };
}
