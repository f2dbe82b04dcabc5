import type { AttributeRule } from '../provider.js';
import { isSecret } from '../secret.js';

// `local` attributes (credentials) are roster's own: never diffed, never sent to the system.

/** The spec without roster-only (`local`) attributes. */
export function withoutLocal(
  spec: Record<string, unknown>,
  rules: Record<string, AttributeRule>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(spec)) if (!rules[k]?.local) out[k] = spec[k];
  return out;
}

/** Where each credential of the resource is kept (`env:…`/`file:…`), from its `local` attributes. */
export function credentialOrigins(
  spec: Record<string, unknown>,
  rules: Record<string, AttributeRule>,
): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const k of Object.keys(spec)) {
    const v = spec[k];
    if (!rules[k]?.local || !v || typeof v !== 'object') continue;
    for (const [name, value] of Object.entries(v)) {
      if (!isSecret(value)) continue;
      out ??= {};
      out[name] = value.origin;
    }
  }
  return out;
}

/** `credentials.rotateAfterDays` of a resource (in its `local` attribute), when declared. */
export function rotateAfterDaysOf(
  spec: Record<string, unknown>,
  rules: Record<string, AttributeRule>,
): number | undefined {
  for (const k of Object.keys(spec)) {
    const v = spec[k];
    if (!rules[k]?.local || !v || typeof v !== 'object') continue;
    const days = (v as Record<string, unknown>).rotateAfterDays;
    if (typeof days === 'number' && days > 0) return days;
  }
  return undefined;
}
