import type { Diagnostic } from '../diagnostics.js';
import type { JsonSchema, KindDefinition, Provider } from '../provider.js';
import { excerpt } from './excerpt.js';
import { withReadCredentials } from './read-credentials.js';
import type { SchemaValidator } from './schema-validator.js';
import type { SourceMap } from './source-map.js';
import { didYouMean } from './suggest.js';
import type { ManifestDocument } from './types.js';

/**
 * Validate a value against a schema and place each problem at its line: an unknown field at its
 * key, a missing one at the object that lacks it, anything else at the offending value.
 * `prefix` is the pointer of `value` in the document (`''` for the envelope, `/spec` for a spec).
 * `what` names the schema in the one message given if the schema itself is broken (a provider bug).
 * Problems at a pointer in `reportedElsewhere` are left out: the caller says more about them.
 */
export function validateAgainst(
  validator: SchemaValidator,
  schema: JsonSchema,
  value: unknown,
  prefix: string,
  map: SourceMap,
  what: string,
  reportedElsewhere?: ReadonlySet<string>,
): Diagnostic[] {
  const result = validator.check(schema, value, prefix);
  if ('schemaError' in result) {
    return [
      {
        severity: 'error',
        code: 'manifest.schema-invalid',
        message: `${what} is not a usable JSON Schema (a bug in the provider): ${result.schemaError}`,
        ...map.positionOf(prefix),
      },
    ];
  }
  const problems = reportedElsewhere
    ? result.problems.filter((p) => !reportedElsewhere.has(p.pointer))
    : result.problems;
  return problems.map((p) => ({
    severity: 'error',
    code: 'manifest.schema',
    message: p.message,
    ...(p.at === 'key' ? map.keyPositionOf(p.pointer) : map.positionOf(p.pointer)),
  }));
}

/**
 * Second-level validation of a Provider document: its `spec.type` must name provider code roster
 * has, and its spec must satisfy that code's `configSchema`.
 */
export function validateProviderDocument(
  doc: ManifestDocument,
  byType: ReadonlyMap<string, Provider>,
  validator: SchemaValidator,
  map: SourceMap,
): Diagnostic[] {
  const type = doc.spec.type;
  if (typeof type !== 'string') return []; // the envelope has said that spec.type is required
  const provider = byType.get(type);
  if (!provider) {
    const known = [...byType.keys()].sort();
    return [
      {
        severity: 'error',
        code: 'manifest.provider-type',
        message: `unknown provider type ${excerpt(type)}${didYouMean(type, known)}; known types: ${known.join(', ') || '(none)'}`,
        ...map.positionOf('/spec/type'),
        address: doc.address,
      },
    ];
  }
  // Settings every provider has belong to core and are checked here, not by the provider's schema.
  const { attestationMaxAgeDays, ...config } = doc.spec;
  const diagnostics: Diagnostic[] = [];
  if (
    attestationMaxAgeDays !== undefined &&
    !(Number.isInteger(attestationMaxAgeDays) && (attestationMaxAgeDays as number) >= 1)
  ) {
    diagnostics.push({
      severity: 'error',
      code: 'manifest.schema',
      message: 'attestationMaxAgeDays must be a whole number of days, at least 1',
      ...map.positionOf('/spec/attestationMaxAgeDays'),
      address: doc.address,
    });
  }
  return [
    ...diagnostics,
    ...validateAgainst(
      validator,
      // `credentials.read` is core's, accepted for every provider that has credentials.
      withReadCredentials(provider.configSchema),
      config,
      '/spec',
      map,
      `the ${type} provider's configSchema`,
    ),
  ];
}

/**
 * Second-level validation of a resource: `metadata.provider` must name a Provider document, whose
 * type must have the document's kind; then the spec must satisfy the kind's schema, and
 * `lifecycle.onRemove` must be one the kind allows. Returns the kind when the resource could be
 * checked against it (the caller runs the kind's own checks on a valid spec).
 */
export function validateResourceDocument(
  doc: ManifestDocument,
  providerDocs: ReadonlyMap<string, ManifestDocument>,
  byType: ReadonlyMap<string, Provider>,
  validator: SchemaValidator,
  map: SourceMap,
): { diagnostics: Diagnostic[]; kind?: KindDefinition; specValid: boolean } {
  const name = doc.provider ?? '';
  const providerDoc = providerDocs.get(name);
  const fail = (code: string, message: string, pointer: string) => ({
    diagnostics: [
      { severity: 'error' as const, code, message, ...map.positionOf(pointer), address: doc.address },
    ],
    specValid: false,
  });
  if (!providerDoc) {
    const names = [...providerDocs.keys()].sort();
    return fail(
      'manifest.provider',
      `no Provider document named ${excerpt(name)}${didYouMean(name, names)}; declare one with kind: Provider${names.length > 0 ? ` (declared: ${names.join(', ')})` : ''}`,
      '/metadata/provider',
    );
  }
  const type = providerDoc.spec.type;
  const provider = typeof type === 'string' ? byType.get(type) : undefined;
  // An unknown type is reported once, at the Provider document, not at each of its resources.
  if (!provider) return { diagnostics: [], specValid: false };
  const kind = provider.kinds[doc.kind];
  if (!kind) {
    const kinds = Object.keys(provider.kinds).sort();
    return fail(
      'manifest.kind',
      `provider ${name} (type ${provider.type}) has no kind ${doc.kind}${didYouMean(doc.kind, kinds)}; it supports: ${kinds.join(', ')}`,
      '/kind',
    );
  }
  const diagnostics = validateAgainst(
    validator,
    kind.schema,
    doc.spec,
    '/spec',
    map,
    `the ${provider.type} provider's schema for ${doc.kind}`,
  );
  const specValid = diagnostics.length === 0;
  const onRemove = doc.lifecycle.onRemove;
  const allowed = kind.onRemoveOptions ?? [kind.deleteMode];
  if (
    typeof onRemove === 'string' &&
    (onRemove === 'delete' || onRemove === 'deactivate') &&
    !allowed.includes(onRemove)
  ) {
    diagnostics.push({
      severity: 'error',
      code: 'manifest.lifecycle',
      message: `a ${doc.kind} of ${provider.type} cannot be removed by ${onRemove}; lifecycle.onRemove may be: ${allowed.join(', ')}`,
      ...map.positionOf('/lifecycle/onRemove'),
      address: doc.address,
    });
  }
  diagnostics.push(...checkIgnoreChanges(doc, kind, provider.type, map));
  return { diagnostics, kind, specValid };
}

/**
 * `lifecycle.ignoreChanges` names attributes of the kind (a typo would silently guard nothing);
 * roster's own `local` attributes are never compared anyway. Each ignored privilege is a warning:
 * a right granted by hand there is neither planned back nor reported.
 */
function checkIgnoreChanges(
  doc: ManifestDocument,
  kind: KindDefinition,
  type: string,
  map: SourceMap,
): Diagnostic[] {
  const list = doc.lifecycle.ignoreChanges;
  if (!Array.isArray(list)) return []; // the envelope schema reports it
  const out: Diagnostic[] = [];
  const known = Object.keys((kind.schema.properties as Record<string, unknown> | undefined) ?? {}).filter(
    (k) => !kind.attributes[k]?.local,
  );
  list.forEach((attribute, i) => {
    if (typeof attribute !== 'string') return;
    const at = { ...map.positionOf(`/lifecycle/ignoreChanges/${i}`), address: doc.address };
    const rule = kind.attributes[attribute];
    if (!known.includes(attribute)) {
      out.push({
        severity: 'error',
        code: 'manifest.lifecycle',
        message: `lifecycle.ignoreChanges: ${doc.kind} of ${type} has no attribute ${attribute}${rule?.local ? " roster compares (it is roster's own)" : didYouMean(attribute, known)}; it may name: ${known.join(', ')}`,
        ...at,
      });
    } else if (attribute === kind.naturalKeyAttribute) {
      out.push({
        severity: 'error',
        code: 'manifest.lifecycle',
        message: `lifecycle.ignoreChanges: ${attribute} is the ${doc.kind}'s identity in the system; it cannot be ignored`,
        ...at,
      });
    } else if (rule?.privilege) {
      out.push({
        severity: 'warning',
        code: 'lifecycle.ignored-privilege',
        message: `${attribute} of ${doc.address} is not managed (lifecycle.ignoreChanges): rights granted there by hand are neither planned back nor reported as drift`,
        ...at,
      });
    }
  });
  return out;
}
