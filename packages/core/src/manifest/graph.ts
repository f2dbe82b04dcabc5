import type { Diagnostic } from '../diagnostics.js';
import type { KindDefinition, Provider } from '../provider.js';
import { isSecret } from '../secret.js';
import { excerpt } from './excerpt.js';
import { isPlainObject } from './plain-data.js';
import { childPointer, pointerSegments } from './pointer.js';
import { indexProviders } from './provider-index.js';
import { didYouMean, suggest } from './suggest.js';
import type { ManifestDocument } from './types.js';

/** The dependency graph of the documents: who references whom, and an order with dependencies first. */
export interface ResourceGraph {
  /**
   * Every address (Provider documents and resources), each after everything it depends on; ties in
   * address order, so the order is the same on every run. Addresses on or behind a reference cycle
   * (reported as an error) come last, in address order.
   */
  order: string[];
  /** Direct dependencies of an address: its Provider document, then the targets of its refs in spec order. */
  dependenciesOf(address: string): string[];
  /** Addresses that depend directly on `address`, in address order. */
  dependentsOf(address: string): string[];
  /**
   * The address the `{ref}` at `pointer` points at: the pointer of the ref object from the document
   * root (e.g. `/spec/roles/0`, or `/spec/roles/0/ref`). Undefined when there is none or it did not resolve.
   */
  targetOf(address: string, pointer: string): string | undefined;
}

export interface ResolveReferencesRequest {
  /** Provider documents and resources (duplicates already removed). */
  documents: readonly ManifestDocument[];
  providers: readonly Provider[];
}

/** A reference in a spec: `{ ref }`, optionally with the `output` of the target it wires in. */
export function isReference(value: unknown): value is { ref: string; output?: string } {
  if (!isPlainObject(value) || typeof value.ref !== 'string') return false;
  for (const key of Object.keys(value)) if (key !== 'ref' && key !== 'output') return false;
  return true;
}

/**
 * Resolve every `{ref}` of every resource's spec to an address and build the dependency graph.
 *
 * - `ref: name` is a resource of the same provider, of the kind the attribute's rule names
 *   (`kinds[kind].attributes[attr].ref`); without a rule, every kind of the provider is searched and
 *   more than one match is an error (write the full address).
 * - `ref: provider/Kind/name` is a full address, possibly of another provider.
 * - Each resource also depends on its Provider document.
 *
 * An unknown target, an ambiguous name and a reference cycle (`a → b → a`) are errors at the ref's
 * line. Kahn's algorithm gives the order and Tarjan's finds the cycles, both iterative and O(V + E),
 * so 100,000 resources take well under a second.
 */
export function resolveReferences(req: ResolveReferencesRequest): {
  graph: ResourceGraph;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const providers = indexProviders(req.documents, req.providers);

  // Addresses sorted once: node ids follow address order, which makes every traversal deterministic.
  const docsByAddress = new Map<string, ManifestDocument>();
  for (const d of req.documents) if (!docsByAddress.has(d.address)) docsByAddress.set(d.address, d);
  const addresses = [...docsByAddress.keys()].sort(compare);
  const idOf = new Map(addresses.map((a, i) => [a, i]));
  const n = addresses.length;

  // Names per `<provider>/<Kind>`, built on first use, for "did you mean".
  let namesByGroup: Map<string, string[]> | undefined;
  const namesIn = (group: string) => {
    if (!namesByGroup) {
      namesByGroup = new Map();
      for (const d of docsByAddress.values()) {
        if (d.kind === 'Provider') continue;
        const g = `${d.provider}/${d.kind}`;
        const list = namesByGroup.get(g);
        if (list) list.push(d.name);
        else namesByGroup.set(g, [d.name]);
      }
    }
    return namesByGroup.get(group) ?? [];
  };

  const deps: number[][] = Array.from({ length: n }, () => []);
  /** Pointer of the first ref from a node to each dependency, to place a cycle error. */
  const via: Array<Map<number, string>> = Array.from({ length: n }, () => new Map());
  const targets = new Map<string, Map<string, string>>();

  const error = (doc: ManifestDocument, pointer: string, code: string, message: string) =>
    diagnostics.push({
      severity: 'error',
      code,
      message,
      ...doc.source.positionOf(pointer),
      address: doc.address,
    });

  const scope: RefScope = { docsByAddress, namesIn, error };
  for (const [id, address] of addresses.entries()) {
    const doc = docsByAddress.get(address)!;
    if (doc.kind === 'Provider') continue;
    const addDependency = (target: number, pointer: string) => {
      if (via[id]!.has(target)) return;
      via[id]!.set(target, pointer);
      deps[id]!.push(target);
    };
    const providerId = idOf.get(`Provider/${doc.provider}`);
    if (providerId !== undefined) addDependency(providerId, '/metadata/provider');
    const code = providers.providerOf(doc);
    if (!code) continue; // an unknown provider or type is reported by validation
    const resolve = (ref: string, pointer: string) => resolveRef(scope, doc, code.kinds, ref, pointer);

    const visit = (value: unknown, pointer: string): void => {
      if (isSecret(value)) return;
      if (isReference(value)) {
        const target = resolve(value.ref, pointer);
        if (target === undefined) return;
        const own = targets.get(address) ?? new Map<string, string>();
        targets.set(address, own);
        own.set(pointer, target);
        addDependency(idOf.get(target)!, `${pointer}/ref`);
        return;
      }
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) visit(v, childPointer(pointer, i));
      } else if (isPlainObject(value)) {
        for (const [k, v] of Object.entries(value)) visit(v, childPointer(pointer, k));
      }
    };
    visit(doc.spec, '/spec');
  }

  const { order, dependents } = kahnOrder(deps);
  if (order.length < n) {
    const placed = new Uint8Array(n);
    for (const id of order) placed[id] = 1;
    const left: number[] = [];
    for (let id = 0; id < n; id++) if (!placed[id]) left.push(id);
    for (const cycle of findCycles(left, deps, placed)) {
      const first = docsByAddress.get(addresses[cycle[0]!]!)!;
      const next = cycle[1] ?? cycle[0]!;
      error(
        first,
        via[cycle[0]!]!.get(next) ?? '/spec',
        'manifest.cycle',
        `reference cycle: ${[...cycle, cycle[0]!].map((id) => addresses[id]).join(' → ')}; break it by removing one of these refs`,
      );
    }
    order.push(...left);
  }

  const list = (ids: readonly number[] | undefined) => (ids ?? []).map((id) => addresses[id]!);
  return {
    graph: {
      order: list(order),
      dependenciesOf: (address) => {
        const id = idOf.get(address);
        return id === undefined ? [] : list(deps[id]);
      },
      dependentsOf: (address) => {
        const id = idOf.get(address);
        return id === undefined ? [] : list(dependents[id]);
      },
      targetOf: (address, pointer) => {
        const own = targets.get(address);
        return own?.get(pointer) ?? (pointer.endsWith('/ref') ? own?.get(pointer.slice(0, -4)) : undefined);
      },
    },
    diagnostics,
  };
}

/** What resolving one reference needs of the whole project. */
interface RefScope {
  docsByAddress: ReadonlyMap<string, ManifestDocument>;
  /** Names declared per `<provider>/<Kind>`, for "did you mean". */
  namesIn: (group: string) => string[];
  error: (doc: ManifestDocument, pointer: string, code: string, message: string) => void;
}

/**
 * The address `{ ref }` at `pointer` of `doc` points at, or undefined after reporting why it points
 * nowhere (unknown, ambiguous, of the wrong kind).
 */
function resolveRef(
  scope: RefScope,
  doc: ManifestDocument,
  kindsOf: Readonly<Record<string, KindDefinition>>,
  ref: string,
  pointer: string,
): string | undefined {
  const { docsByAddress, namesIn, error } = scope;
  const kind = kindsOf[doc.kind];
  const attribute = pointerSegments(pointer)[1] ?? '';
  const wanted = kind?.attributes[attribute]?.ref;
  if (ref.includes('/')) {
    const parts = ref.split('/');
    const target = parts.length === 3 ? docsByAddress.get(ref) : undefined;
    if (!target || target.kind === 'Provider') {
      const [p, k, name] = parts;
      const close =
        parts.length === 3 && name !== undefined ? suggest(name, namesIn(`${p}/${k}`)) : undefined;
      const hint = close === undefined ? '' : ` (did you mean ${p}/${k}/${close}?)`;
      error(
        doc,
        `${pointer}/ref`,
        'manifest.reference',
        `no resource ${ref}${hint}; a full reference is provider/Kind/name`,
      );
      return undefined;
    }
    if (wanted && target.provider === doc.provider && target.kind !== wanted) {
      error(
        doc,
        `${pointer}/ref`,
        'manifest.reference',
        `${ref} is a ${target.kind}; this field refers to a ${wanted}`,
      );
      return undefined;
    }
    return ref;
  }
  const kinds = wanted ? [wanted] : Object.keys(kindsOf).sort(compare);
  const found = kinds.map((k) => `${doc.provider}/${k}/${ref}`).filter((a) => docsByAddress.has(a));
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    error(
      doc,
      `${pointer}/ref`,
      'manifest.reference',
      `ref ${excerpt(ref)} is ambiguous: it could be ${found.join(' or ')}; write the full address`,
    );
    return undefined;
  }
  const hint = didYouMean(
    ref,
    kinds.flatMap((k) => namesIn(`${doc.provider}/${k}`)),
  );
  error(
    doc,
    `${pointer}/ref`,
    'manifest.reference',
    `no ${wanted ?? 'resource'} named ${excerpt(ref)} in provider ${excerpt(doc.provider ?? '')}${hint}`,
  );
  return undefined;
}

/**
 * Kahn's algorithm over `deps` (node → the nodes it depends on): the order, seeded in id (= address)
 * order through a FIFO so it is deterministic, and each node's dependents in ascending id order.
 * Nodes on a cycle are left out of `order`.
 */
function kahnOrder(deps: readonly (readonly number[])[]): { order: number[]; dependents: number[][] } {
  const n = deps.length;
  const dependents: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Int32Array(n);
  for (let id = 0; id < n; id++) {
    for (const d of deps[id]!) {
      dependents[d]!.push(id);
      indegree[id]! += 1;
    }
  }
  const order: number[] = [];
  for (let id = 0; id < n; id++) if (indegree[id] === 0) order.push(id);
  for (let i = 0; i < order.length; i++) {
    for (const dependent of dependents[order[i]!]!) {
      indegree[dependent]! -= 1;
      if (indegree[dependent] === 0) order.push(dependent);
    }
  }
  return { order, dependents };
}

/**
 * One cycle per strongly connected component of the nodes Kahn could not place (Tarjan, iterative:
 * a chain of 100,000 refs must not overflow the stack). Each cycle starts at the component's
 * smallest id and is a shortest way back to it.
 */
function findCycles(nodes: readonly number[], deps: readonly number[][], placed: Uint8Array): number[][] {
  const n = deps.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index[root] !== -1) continue;
    // Frames of [node, next edge index].
    const frames: Array<[number, number]> = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [v, edge] = frame;
      const out = deps[v]!;
      if (edge < out.length) {
        frame[1] += 1;
        const w = out[edge]!;
        if (placed[w]) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[v]!);
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || deps[v]!.includes(v)) components.push(component);
      }
    }
  }
  return components.map((component) => shortestCycle(component, deps)).sort((a, b) => a[0]! - b[0]!);
}

/** A shortest cycle through the smallest node of a strongly connected component (BFS inside it). */
function shortestCycle(component: readonly number[], deps: readonly number[][]): number[] {
  let start = component[0]!;
  for (const v of component) if (v < start) start = v;
  const inside = new Set(component);
  const parent = new Map<number, number>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of deps[v]!) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[path.length - 1] !== start) path.push(parent.get(path[path.length - 1]!)!);
        return path.reverse();
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
