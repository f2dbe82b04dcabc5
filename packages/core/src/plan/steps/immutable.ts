import type { Diagnostic } from '../../diagnostics.js';
import { fmt } from '../../format/fmt.js';
import type { AttributeRule } from '../../provider.js';
import type { DesiredResource } from '../desired.js';
import { diagnosticAt } from './diagnostic-at.js';

/**
 * `immutable`: the attribute cannot change once the object exists. A change replaces the object
 * when the manifest (`lifecycle.allowReplace`) or the operator (`--replace`) allows it; otherwise
 * it is an error at the attribute's manifest line.
 */
export function immutableRule(req: {
  d: DesiredResource;
  key: string;
  rule: AttributeRule | undefined;
  replaceAllowed: boolean;
  /** The object's natural key in the system. */
  remoteKey: string;
  from: unknown;
  to: unknown;
}): 'replace' | Diagnostic | undefined {
  if (!req.rule?.immutable) return undefined;
  if (req.replaceAllowed) return 'replace';
  const { d, key } = req;
  return diagnosticAt(
    d,
    `/spec/${key}`,
    'error',
    'rule.immutable',
    `${key} of ${d.kind} ${req.remoteKey} cannot be changed once created (${fmt(req.from)} → ${fmt(req.to)}); set lifecycle.allowReplace: true to replace the object instead`,
  );
}
