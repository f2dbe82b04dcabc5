import type { Diagnostic } from '../../diagnostics.js';
import type { DesiredResource } from '../desired.js';

/** A finding about a declared resource, placed at the manifest line of `pointer` (e.g. `/spec/id`). */
export function diagnosticAt(
  d: DesiredResource,
  pointer: string,
  severity: Diagnostic['severity'],
  code: string,
  message: string,
): Diagnostic {
  const pos = d.positionOf(pointer);
  return {
    severity,
    code,
    message,
    address: d.address,
    ...(pos ? { file: pos.file, line: pos.line, column: pos.column } : {}),
  };
}
