import { fmt } from '../../format/fmt.js';
import type { KindDefinition, RemoteObject } from '../../provider.js';
import type { Reason } from '../types.js';

/**
 * A deactivated object put back in the manifests is reactivated, never created twice: when the
 * manifest does not set the deactivation attribute itself, the update sets its active value.
 */
export function needsReactivation(
  def: KindDefinition,
  remote: RemoteObject,
  desired: Record<string, unknown>,
): boolean {
  const deact = def.deactivation;
  return Boolean(deact && remote.deactivated && !(deact.attribute in desired));
}

/** The reason an update reactivates the object, and the attribute it sets (when it adds one). */
export function reactivationReason(req: {
  kind: string;
  def: KindDefinition;
  remote: RemoteObject;
  reactivate: boolean;
  changed: readonly string[];
}): { reason?: Reason; set?: [string, unknown] } {
  const deact = req.def.deactivation;
  if (!deact) return {};
  if (req.reactivate) {
    return {
      reason: {
        path: `/${deact.attribute}`,
        rule: 'deleteMode',
        message: `${req.kind} ${req.remote.naturalKey} is deactivated in the system; it is reactivated (${deact.attribute}: ${fmt(deact.activeValue)})`,
      },
      set: [deact.attribute, deact.activeValue],
    };
  }
  if (req.remote.deactivated && req.changed.includes(deact.attribute)) {
    return {
      reason: {
        path: `/${deact.attribute}`,
        rule: 'deleteMode',
        message: `${req.kind} ${req.remote.naturalKey} was deactivated; it is reactivated, not created again`,
      },
    };
  }
  return {};
}
