import type { AttributeRule } from '../../provider.js';

/**
 * `fixedAtCreation`: the attribute can only be set when the object is created, so a change
 * replaces the object (refused at apply until allowed, unlike `immutable`, which is an error).
 */
export function fixedAtCreationRule(rule: AttributeRule | undefined): 'replace' | undefined {
  return rule?.fixedAtCreation && !rule.immutable ? 'replace' : undefined;
}
