import { type Diagnostic, hasErrors } from '../diagnostics.js';

/** `roster validate --format json` (schemas/validate.schema.json). */
export interface ValidateJson {
  /** No error among the diagnostics (warnings allowed): what exit code 0 means. */
  valid: boolean;
  /** Manifest files read, as displayed in diagnostics. */
  files: string[];
  /** Provider documents' `metadata.name`, sorted. */
  providers: string[];
  /** Resource addresses declared, in manifest order. */
  resources: string[];
  counts: { errors: number; warnings: number; info: number };
  diagnostics: Diagnostic[];
}

/** What `roster validate` found, as data. */
export function validateJson(input: {
  files: readonly string[];
  providers: Iterable<string>;
  resources: readonly string[];
  diagnostics: readonly Diagnostic[];
}): ValidateJson {
  const count = (s: Diagnostic['severity']) => input.diagnostics.filter((d) => d.severity === s).length;
  return {
    valid: !hasErrors(input.diagnostics),
    files: [...input.files],
    providers: [...input.providers].sort(),
    resources: [...input.resources],
    counts: { errors: count('error'), warnings: count('warning'), info: count('info') },
    diagnostics: [...input.diagnostics],
  };
}
