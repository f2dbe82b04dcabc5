import type { AttributeRule } from '../../provider.js';

/**
 * Objects a forced `--replace` removes before re-creating them (the key is kept): by address, the
 * names a reference to each may carry. A resource planned after one that refers to it loses the
 * reference when it is removed, so it is planned to refer to the new object again.
 */
export type RemovedFirst = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The names, as `{ ref: … }` in `value` and as the system reports them, of the objects of
 * `removedFirst` that `value` refers to (`prefix` is `provider/Kind/` of the reference).
 */
export function refsTo(value: unknown, removedFirst: RemovedFirst, prefix: string): Set<string> {
  const names = new Set<string>();
  if (removedFirst.size === 0) return names;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object') {
      const ref = (v as { ref?: unknown }).ref;
      // A reference names its target by manifest name, or (resolved) by its natural key.
      if (typeof ref === 'string')
        for (const [address, known] of removedFirst)
          if (address.startsWith(prefix) && (address === prefix + ref || known.has(ref)))
            for (const n of known) names.add(n);
    }
  };
  walk(value);
  return names;
}

/** `value` without the `{ ref: name }` items (or the single reference) naming one of `names`. */
export function withoutRefs(value: unknown, names: ReadonlySet<string>): unknown {
  const named = (v: unknown) =>
    Boolean(v) && typeof v === 'object' && names.has(String((v as { ref?: unknown }).ref));
  if (Array.isArray(value)) return value.filter((v) => !named(v));
  return named(value) ? null : value;
}

/**
 * `before` as the system will hold it once the objects removed first are gone: the references to
 * them taken out of each relinked attribute (which the update then sets again).
 */
export function relinkBefore(req: {
  before: Record<string, unknown>;
  relinked: readonly string[];
  desired: Record<string, unknown>;
  rules: Record<string, AttributeRule>;
  removedFirst: RemovedFirst;
  provider: string;
}): Record<string, unknown> {
  if (req.relinked.length === 0) return req.before;
  const out = { ...req.before };
  for (const key of req.relinked) {
    const names = refsTo(req.desired[key], req.removedFirst, `${req.provider}/${req.rules[key]!.ref}/`);
    out[key] = withoutRefs(out[key], names);
  }
  return out;
}
