import type { Diagnostic } from '../diagnostics.js';
import type { KindDefinition } from '../provider.js';
import type { ManifestDocument } from './types.js';

/**
 * Run the kind's own checks (rules JSON Schema cannot say, e.g. "admin privileges only for business
 * users") on a resource whose spec passed its schema, and place each finding at its line: a check's
 * `path` is a pointer into `spec`. A check that throws is a provider bug; it is reported as one
 * diagnostic rather than ending the run, since the input that triggered it is the user's.
 */
export function runKindCheck(doc: ManifestDocument, kind: KindDefinition): Diagnostic[] {
  if (!kind.check) return [];
  let findings: ReturnType<NonNullable<KindDefinition['check']>>['diagnostics'];
  try {
    findings = kind.check({ name: doc.name, spec: doc.spec }).diagnostics;
  } catch (err) {
    return [
      {
        severity: 'error',
        code: 'manifest.check-failed',
        message: `the provider's checks of this ${doc.kind} failed: ${err instanceof Error ? err.message : String(err)}`,
        ...doc.source.positionOf('/spec'),
        address: doc.address,
      },
    ];
  }
  return findings.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...doc.source.positionOf(d.path === '' || d.path.startsWith('/') ? `/spec${d.path}` : `/spec/${d.path}`),
    address: doc.address,
  }));
}
