import { kindCapabilities } from '../kind-operations.js';
import { canonical, isRef, sameCanonical } from '../plan/canonical.js';
import { detectDrift } from '../plan/drift.js';
import { guardPrivileges, normalizeSpec } from '../plan/guard-privileges.js';
import type { DriftEntry } from '../plan/types.js';
import type { Execution, KindDefinition, ManualOperation, RemoteObject } from '../provider.js';
import type { StateDocument } from '../state/types.js';

type Attributes = Record<string, unknown>;

/** The provider name the suite gives the instance under test. */
export const CONTRACT_PROVIDER = 'contract';

/** How an update of `attribute` is made: its own rule, else the kind's update capability. */
export function executionOf(def: KindDefinition, attribute: string): Execution {
  return def.attributes[attribute]?.update ?? kindCapabilities(def).update;
}

/** The changes made one way (`api` or `manual`). */
export function changesBy(def: KindDefinition, changes: Attributes, execution: Execution): Attributes {
  return Object.fromEntries(Object.entries(changes).filter(([k]) => executionOf(def, k) === execution));
}

/** The declared attributes as a plan compares them: normalized, absent privileges filled in, readable only. */
export function comparableAttributes(def: KindDefinition, attributes: Attributes): Attributes {
  const spec = guardPrivileges(normalizeSpec(attributes, def), def);
  const out: Attributes = {};
  for (const [key, value] of Object.entries(spec)) {
    const rule = def.attributes[key];
    if (rule?.local || rule?.sensitive || rule?.writeOnly || rule?.verifiable === false) continue;
    out[key] = canonical(value, rule);
  }
  return out;
}

/** Attributes that differ between what was declared and what the system reports, one line each. */
export function mismatches(def: KindDefinition, desired: Attributes, object: RemoteObject): string[] {
  return Object.entries(comparableAttributes(def, desired))
    .filter(([k, v]) => !sameCanonical(v, object.attributes[k], def.attributes[k]))
    .map(([k, v]) => `${k}: declared ${JSON.stringify(v)}, read ${JSON.stringify(object.attributes[k])}`);
}

/** References reduced to the natural key, as a runbook shows them and state records them. */
export function withoutIds(attributes: Attributes): Attributes {
  const strip = (v: unknown): unknown => (isRef(v) ? { ref: v.ref } : Array.isArray(v) ? v.map(strip) : v);
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, strip(v)]));
}

/** What `roster drift` reports for one object recorded with `recorded`: core's own drift detection. */
export function driftOf(
  kind: string,
  def: KindDefinition,
  recorded: Attributes,
  object: RemoteObject,
): DriftEntry[] {
  const state: StateDocument = {
    version: 1,
    lineage: 'contract',
    serial: 1,
    resources: {
      [`${CONTRACT_PROVIDER}/${kind}/sample`]: {
        provider: CONTRACT_PROVIDER,
        kind,
        name: 'sample',
        id: object.id,
        naturalKey: object.naturalKey,
        attributes: comparableAttributes(def, withoutIds(recorded)),
        dependencies: [],
      },
    },
  };
  return detectDrift({
    state,
    remote: new Map([[CONTRACT_PROVIDER, new Map([[kind, [object]]])]]),
    kindOf: () => def,
  });
}

/** The manual operations a kind declares: each must have a runbook step. */
export function manualOperations(def: KindDefinition): ManualOperation[] {
  const ops = new Set<ManualOperation>();
  if (kindCapabilities(def).create === 'manual') ops.add('create');
  if (kindCapabilities(def).update === 'manual') ops.add('update');
  if (kindCapabilities(def).delete === 'manual') ops.add('delete');
  if (Object.values(def.attributes).some((r) => r.update === 'manual')) ops.add('update');
  if (def.deactivation && executionOf(def, def.deactivation.attribute) === 'manual') ops.add('deactivate');
  if (kindCapabilities(def).rotate === 'manual') ops.add('rotate');
  return [...ops];
}
