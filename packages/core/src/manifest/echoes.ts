import type { Diagnostic } from '../diagnostics.js';

/** Diagnostics about a `${env:…}`/`${file:…}` reference itself. */
const INTERPOLATION_CODES = new Set([
  'manifest.interpolation',
  'manifest.literal-secret',
  'manifest.env-unset',
  'manifest.file-unreadable',
]);

/** Diagnostics that a value left unresolved by interpolation triggers as a matter of course. */
const ECHO_CODES = new Set(['manifest.schema', 'manifest.reference']);

/**
 * Drop a schema or reference error about a value that already has an interpolation error: a
 * `${env:…}` left in place (unset, or outside credentials) then also fails the field's schema or
 * names no resource, which tells the user nothing new.
 */
export function withoutEchoes(diagnostics: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}`;
  const interpolated = new Set(diagnostics.filter((d) => INTERPOLATION_CODES.has(d.code)).map(key));
  if (interpolated.size === 0) return diagnostics;
  return diagnostics.filter((d) => !ECHO_CODES.has(d.code) || !interpolated.has(key(d)));
}
