import { isOutputRef, isRef } from '../plan/canonical.js';
import { revealAll } from '../plan/reveal.js';
import type { PlannedChange } from '../plan/types.js';
import type { AttributeRule, KindDefinition, ResolvedRef } from '../provider.js';
import { fingerprintSecret, isSecret, SENSITIVE_PLACEHOLDER } from '../secret.js';
import type { RemoteObjects } from './remote-objects.js';
import type { StateWriter } from './state-writer.js';

/**
 * Attribute values of planned changes as a system's API takes them (references resolved to ids,
 * secrets revealed, masks replaced by the manifests' values) and as state keeps them (sensitive
 * values only as salted fingerprints).
 */
export class WireValues {
  readonly #kindDef: (change: PlannedChange) => KindDefinition;
  readonly #sensitiveValue: ((address: string, attribute: string) => unknown) | undefined;
  readonly #writer: StateWriter;
  readonly #objects: RemoteObjects;

  constructor(input: {
    kindDef(change: PlannedChange): KindDefinition;
    sensitiveValue?: ((address: string, attribute: string) => unknown) | undefined;
    writer: StateWriter;
    objects: RemoteObjects;
  }) {
    this.#kindDef = input.kindDef;
    this.#sensitiveValue = input.sensitiveValue;
    this.#writer = input.writer;
    this.#objects = input.objects;
  }

  /** Attribute values `keys` of `attrs` for the API. */
  wire(
    change: PlannedChange,
    attrs: Record<string, unknown>,
    keys: readonly string[],
  ): Record<string, unknown> {
    const def = this.#kindDef(change);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const rule: AttributeRule | undefined = def.attributes[key];
      let value = attrs[key];
      if (value === SENSITIVE_PLACEHOLDER && (rule?.sensitive || rule?.writeOnly)) {
        value = this.#sensitiveValue?.(change.address, key);
        if (value === undefined) {
          throw new Error(
            `the value of ${key} is not available: apply with the manifests (-f) that declare it`,
          );
        }
      }
      const resolved = Array.isArray(value)
        ? value.map((v) => this.#resolveRef(change.provider, rule?.ref, v))
        : this.#resolveRef(change.provider, rule?.ref, value);
      out[key] = revealAll(resolved);
    }
    return out;
  }

  /** Attributes as state keeps them: sensitive values only as salted fingerprints. */
  forState(change: PlannedChange, attrs: Record<string, unknown>): Record<string, unknown> {
    const def = this.#kindDef(change);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(attrs)) {
      const rule = def.attributes[key];
      if (rule?.sensitive || rule?.writeOnly) {
        const v = this.#sensitiveValue?.(change.address, key);
        if (v !== undefined)
          out[key] = fingerprintSecret(isSecret(v) ? v.reveal() : JSON.stringify(revealAll(v)));
      } else out[key] = value;
    }
    return out;
  }

  #resolveRef(provider: string, targetKind: string | undefined, value: unknown): unknown {
    if (isOutputRef(value)) return this.#outputValue(value.ref, value.output);
    if (!isRef(value)) return value;
    const out: ResolvedRef = { ref: value.ref };
    if (targetKind) {
      const inState = this.#writer.byKey(provider, targetKind, value.ref);
      const id = inState?.id ?? this.#objects.byKey(provider, targetKind, value.ref)?.id;
      if (id !== undefined) out.id = id;
    }
    return out;
  }

  /**
   * The value `output` of the object at `address`: from this run if it was just made, else as
   * refreshed. Held in memory only (it may be a secret): plans and state keep the reference.
   */
  #outputValue(address: string, output: string): unknown {
    const st = this.#writer.state.resources[address];
    const object =
      this.#objects.live(address) ?? (st ? this.#objects.byId(st.provider, st.kind, st.id) : undefined);
    const v = object?.outputs?.[output];
    if (v === undefined)
      throw new Error(
        `${address} has produced no ${output} (the system does not report it, or it does not exist yet)`,
      );
    return v;
  }
}
