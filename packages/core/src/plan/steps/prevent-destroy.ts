import type { Diagnostic } from '../../diagnostics.js';
import type { StateResource } from '../../state/types.js';

/** `lifecycle.preventDestroy` (as state recorded it): a resource removed from the manifests is refused. */
export function preventDestroyRefusal(address: string, st: StateResource): Diagnostic | undefined {
  if (!st.lifecycle?.preventDestroy) return undefined;
  return {
    severity: 'error',
    code: 'rule.prevent-destroy',
    address,
    message: `${address} was removed from the manifests but has lifecycle.preventDestroy: true; put it back, or remove preventDestroy first (apply it), then remove the resource`,
  };
}
