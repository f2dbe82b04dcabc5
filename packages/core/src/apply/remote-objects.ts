import { type RemoteSnapshot, withUnreadableKinds } from '../plan/remote-snapshot.js';
import type { PlannedChange } from '../plan/types.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import type { StateDocument } from '../state/types.js';
import { keyOf } from './state-writer.js';

/**
 * The objects in the systems as an apply knows them: as refreshed just before it (by id and by
 * natural key), and as this run's operations left them (`live`, by address).
 */
export class RemoteObjects {
  readonly #byId = new Map<string, RemoteObject>();
  readonly #byKey = new Map<string, RemoteObject>();
  readonly #live = new Map<string, RemoteObject>();

  constructor(input: {
    remote: RemoteSnapshot;
    state: StateDocument;
    changes: readonly PlannedChange[];
    kindOf(provider: string, kind: string): KindDefinition | undefined;
  }) {
    const snapshot = withUnreadableKinds({
      remote: input.remote,
      state: input.state,
      desired: input.changes,
      kindOf: input.kindOf,
    });
    for (const [provider, kinds] of snapshot) {
      for (const [kind, objects] of kinds) {
        for (const o of objects) {
          this.#byId.set(keyOf(provider, kind, o.id), o);
          if (!o.conflict) this.#byKey.set(keyOf(provider, kind, o.naturalKey), o);
        }
      }
    }
  }

  /** The refreshed object of this id. */
  byId(provider: string, kind: string, id: string): RemoteObject | undefined {
    return this.#byId.get(keyOf(provider, kind, id));
  }

  /** The refreshed object of this natural key (none when several objects share it). */
  byKey(provider: string, kind: string, naturalKey: string): RemoteObject | undefined {
    return this.#byKey.get(keyOf(provider, kind, naturalKey));
  }

  /** The object at `address` as this run's last operation on it returned it. */
  live(address: string): RemoteObject | undefined {
    return this.#live.get(address);
  }

  setLive(address: string, object: RemoteObject): void {
    this.#live.set(address, object);
  }

  /** The object an operation on `change` starts from: this run's, else as refreshed. */
  priorOf(change: PlannedChange, id: string): RemoteObject {
    const fromRun = this.#live.get(change.address);
    if (fromRun && fromRun.id === id) return fromRun;
    const o = this.byId(change.provider, change.kind, id);
    if (!o) throw new Error(`${change.address}: object ${id} is no longer in the system`);
    return o;
  }
}
