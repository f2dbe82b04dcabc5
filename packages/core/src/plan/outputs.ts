import { isSecret } from '../secret.js';
import { isOutputRef } from './canonical.js';

/** Marks a `{ref, output}` whose target has not produced the value yet (it is created in this run). */
export const UNKNOWN_OUTPUT: unique symbol = Symbol('unknown output');

/**
 * The value with every `{ref, output}` replaced by what its target produces; `UNKNOWN_OUTPUT` when
 * any is not known yet. Used for comparing only: plans and state keep the reference itself, so a
 * produced value (possibly a secret) is never written anywhere.
 */
export function withOutputs(value: unknown, outputOf: (address: string, output: string) => unknown): unknown {
  if (isOutputRef(value)) {
    const v = outputOf(value.ref, value.output);
    return v === undefined ? UNKNOWN_OUTPUT : v;
  }
  if (Array.isArray(value)) {
    const out = value.map((v) => withOutputs(v, outputOf));
    return out.includes(UNKNOWN_OUTPUT) ? UNKNOWN_OUTPUT : out;
  }
  if (value && typeof value === 'object' && !isSecret(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = withOutputs(v, outputOf);
      if (r === UNKNOWN_OUTPUT) return UNKNOWN_OUTPUT;
      out[k] = r;
    }
    return out;
  }
  return value;
}
