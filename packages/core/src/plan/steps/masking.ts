import type { AttributeRule } from '../../provider.js';
import { SENSITIVE_PLACEHOLDER } from '../../secret.js';
import type { PatchOperation } from '../types.js';

// What a plan shows of sensitive and write-only attributes: a placeholder, never the value.

const hidden = (rule: AttributeRule | undefined) => Boolean(rule?.sensitive || rule?.writeOnly);

/** `before`/`after` as the plan shows them: sensitive values masked, the rest as plain JSON data. */
export function mask(
  value: Record<string, unknown> | null,
  rules: Record<string, AttributeRule>,
): Record<string, unknown> | null {
  if (!value) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = hidden(rules[k]) ? SENSITIVE_PLACEHOLDER : plainValue(v);
  return out;
}

/** A JSON patch with the values of sensitive attributes masked. */
export function maskPatch(ops: PatchOperation[], rules: Record<string, AttributeRule>): PatchOperation[] {
  return ops.map((op) => {
    const top = op.path.split('/')[1] ?? '';
    if (hidden(rules[top]) && 'value' in op) return { ...op, value: SENSITIVE_PLACEHOLDER };
    return op;
  });
}

/** Attributes a runbook may show: sensitive, write-only and roster-only (`local`) ones left out. */
export function stripSensitive(
  value: Record<string, unknown>,
  rules: Record<string, AttributeRule>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (hidden(rules[k]) || rules[k]?.local) continue;
    out[k] = v;
  }
  return out;
}

/** The value as plain JSON data (a secret becomes its placeholder). */
export function plainValue(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

/** A record as plain JSON data (a secret becomes its placeholder). */
export function plainRecord(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
