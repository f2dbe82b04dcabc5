/**
 * `lifecycle.ignoreChanges`: the attributes left alone after creation, taken out of what is
 * compared (the same object when none applies). They are still sent when the object is created.
 */
export function withoutIgnored(
  attrs: Record<string, unknown>,
  ignored: readonly string[] | undefined,
): Record<string, unknown> {
  if (!ignored?.some((k) => k in attrs)) return attrs;
  const out = { ...attrs };
  for (const k of ignored) delete out[k];
  return out;
}
