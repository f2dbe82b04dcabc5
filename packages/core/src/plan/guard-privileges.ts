import type { AttributeRule, KindDefinition } from '../provider.js';

/**
 * The spec a plan compares with the system: the manifest's, with every privilege attribute it
 * leaves out set to the value the kind declares for "absent" (no roles, no groups, admin privileges
 * off, …). Without this, a manifest that says nothing about roles would let anyone add
 * `Administrator` by hand and no plan or drift report would see it — and deleting a `groups:` line
 * in a pull request would plan nothing, though a reviewer reads it as removing access.
 *
 * Attributes named in `lifecycle.ignoreChanges` are left as written: the manifest has said it does
 * not manage them. Returns the same object when nothing is added (most documents declare their
 * privileges), so a large project is not copied for nothing. Pure.
 */
export function guardPrivileges(
  spec: Record<string, unknown>,
  def: Pick<KindDefinition, 'attributes'>,
  ignoreChanges: readonly string[] = [],
): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [attribute, rule] of Object.entries(def.attributes)) {
    if (!isGuarded(rule) || attribute in spec || ignoreChanges.includes(attribute)) continue;
    out ??= { ...spec };
    out[attribute] = structuredClone(rule.absent);
  }
  return out ?? spec;
}

/** A privilege attribute with a declared meaning for "left out": roster guards it. */
export function isGuarded(rule: AttributeRule | undefined): rule is AttributeRule & { absent: unknown } {
  return rule?.privilege === true && rule.absent !== undefined;
}

/**
 * The spec with each attribute that declares `normalize` written as the system names it (the same
 * object when nothing changes). Runs before the guard: absent values are already in system form.
 */
export function normalizeSpec(
  spec: Record<string, unknown>,
  def: Pick<KindDefinition, 'attributes'>,
): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [attribute, rule] of Object.entries(def.attributes)) {
    if (!rule.normalize || !(attribute in spec)) continue;
    const value = rule.normalize(spec[attribute]);
    if (value === spec[attribute]) continue;
    out ??= { ...spec };
    out[attribute] = value;
  }
  return out ?? spec;
}
