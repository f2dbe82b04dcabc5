import type { ContractSandbox, SampleAttributes, SampleContext } from './contract-types.js';

const resolved = new WeakMap<object, Map<unknown, Promise<Record<string, unknown>>>>();

/**
 * A sample's attributes, a copy each time. A hook runs once per sandbox: it may make what the
 * sample refers to, which exists only once.
 */
export async function sampleAttributes<S extends ContractSandbox>(
  a: SampleAttributes<S>,
  ctx: SampleContext<S>,
): Promise<Record<string, unknown>> {
  if (typeof a !== 'function') return structuredClone(a);
  let bySample = resolved.get(ctx.sandbox);
  if (!bySample) {
    bySample = new Map();
    resolved.set(ctx.sandbox, bySample);
  }
  if (!bySample.has(a)) bySample.set(a, a(ctx));
  return structuredClone(await bySample.get(a)!);
}
