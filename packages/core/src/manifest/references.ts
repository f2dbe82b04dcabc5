import type { Diagnostic } from '../diagnostics.js';
import { isRef } from '../plan/canonical.js';
import type { Provider } from '../provider.js';
import { pointerSegments } from './parse.js';
import type { ManifestDocument } from './types.js';

/** The dependency graph of the resources: who references whom, and an order with dependencies first. */
export interface ResourceGraph {
  /** Addresses, dependencies before dependents; deterministic. */
  order: string[];
  dependenciesOf(address: string): string[];
  dependentsOf(address: string): string[];
  /** The address a `{ref}` at `pointer` (from the document root, e.g. `/spec/roles/0`) points at. */
  targetOf(address: string, pointer: string): string | undefined;
}

/** The closest candidate to `name` by edit distance, if close enough to be a likely typo. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/**
 * Resolve every `{ref}` of every resource to an address, report unknown or ambiguous targets at
 * their line, and order the resources (cycles are errors naming the cycle). O(V + E).
 */
export function resolveReferences(req: {
  resources: ManifestDocument[];
  providerDocs: ManifestDocument[];
  providers: Provider[];
}): { graph: ResourceGraph; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byAddress = new Map(req.resources.map((d) => [d.address, d]));
  const providerType = new Map(req.providerDocs.map((d) => [d.name, String(d.spec.type ?? '')]));
  const providerCode = new Map(req.providers.map((p) => [p.type, p]));
  const deps = new Map<string, string[]>();
  const refTargets = new Map<string, string>();
  const refPointer = new Map<string, string>();

  const error = (doc: ManifestDocument, pointer: string, code: string, message: string) => {
    const pos = doc.source.positionOf(pointer);
    diagnostics.push({
      severity: 'error',
      code,
      message,
      file: pos.file,
      line: pos.line,
      column: pos.column,
      address: doc.address,
    });
  };

  for (const doc of req.resources) {
    const code = doc.provider ? providerCode.get(providerType.get(doc.provider) ?? '') : undefined;
    const kinds = code?.kinds ?? {};
    const own: string[] = [];
    const visit = (value: unknown, pointer: string) => {
      if (isRef(value)) {
        const target = targetAddress(doc, pointer, value.ref, kinds);
        if (target.error) {
          error(doc, `${pointer}/ref`, 'manifest.reference', target.error);
          return;
        }
        const address = target.address!;
        refTargets.set(`${doc.address}\u0000${pointer}`, address);
        if (!refPointer.has(`${doc.address}\u0000${address}`))
          refPointer.set(`${doc.address}\u0000${address}`, pointer);
        if (!own.includes(address)) own.push(address);
        return;
      }
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${pointer}/${i}`));
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value))
          visit(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
    };
    visit(doc.spec, '/spec');
    deps.set(doc.address, own);

    const def = kinds[doc.kind];
    const onRemove = doc.lifecycle.onRemove;
    if (def && onRemove) {
      const allowed = def.onRemoveOptions ?? [def.deleteMode];
      if (!allowed.includes(onRemove)) {
        error(
          doc,
          '/lifecycle/onRemove',
          'manifest.lifecycle',
          `a ${doc.kind} of this system cannot be removed by ${onRemove}; allowed: ${allowed.join(', ')}`,
        );
      }
    }
  }

  function targetAddress(
    doc: ManifestDocument,
    pointer: string,
    ref: string,
    kinds: Provider['kinds'],
  ): { address?: string; error?: string } {
    if (ref.includes('/')) {
      if (byAddress.has(ref)) return { address: ref };
      const hint = suggest(ref, byAddress.keys());
      return { error: `no resource ${ref}${hint ? ` (did you mean ${hint}?)` : ''}` };
    }
    const attribute = pointerSegments(pointer)[1] ?? '';
    const targetKind = kinds[doc.kind]?.attributes[attribute]?.ref;
    const candidates = targetKind ? [targetKind] : Object.keys(kinds);
    const found = candidates
      .map((k) => `${doc.provider}/${k}/${ref}`)
      .filter((a) => byAddress.has(a) && a !== doc.address);
    if (found.length === 1) return { address: found[0]! };
    if (found.length > 1)
      return { error: `ref ${ref} is ambiguous: ${found.join(', ')}; write the full address` };
    const names = req.resources
      .filter((d) => d.provider === doc.provider && (!targetKind || d.kind === targetKind))
      .map((d) => d.name);
    const hint = suggest(ref, names);
    const what = targetKind ? `${targetKind} ` : '';
    return {
      error: `no ${what}named ${ref} in provider ${doc.provider}${hint ? ` (did you mean ${hint}?)` : ''}`,
    };
  }

  // Kahn's algorithm; whatever is left over lies on or behind a cycle.
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  const addresses = [...byAddress.keys()].sort();
  for (const a of addresses) indegree.set(a, 0);
  for (const a of addresses) {
    for (const d of deps.get(a) ?? []) {
      indegree.set(a, (indegree.get(a) ?? 0) + 1);
      const list = dependents.get(d) ?? [];
      list.push(a);
      dependents.set(d, list);
    }
  }
  const order: string[] = [];
  const queue = addresses.filter((a) => indegree.get(a) === 0);
  for (let i = 0; i < queue.length; i++) {
    const a = queue[i]!;
    order.push(a);
    for (const dep of dependents.get(a) ?? []) {
      const n = (indegree.get(dep) ?? 0) - 1;
      indegree.set(dep, n);
      if (n === 0) queue.push(dep);
    }
  }
  if (order.length < addresses.length) {
    const placed = new Set(order);
    const reported = new Set<string>();
    for (const start of addresses) {
      if (placed.has(start) || reported.has(start)) continue;
      const cycle = findCycle(start, deps, placed);
      if (!cycle) continue;
      for (const a of cycle) reported.add(a);
      const first = byAddress.get(cycle[0]!)!;
      const pointer = refPointer.get(`${cycle[0]}\u0000${cycle[1] ?? cycle[0]}`) ?? '/spec';
      error(first, pointer, 'manifest.cycle', `reference cycle: ${[...cycle, cycle[0]].join(' → ')}`);
    }
    for (const a of addresses) if (!placed.has(a)) order.push(a);
  }

  return {
    graph: {
      order,
      dependenciesOf: (a) => deps.get(a) ?? [],
      dependentsOf: (a) => dependents.get(a) ?? [],
      targetOf: (a, pointer) => refTargets.get(`${a}\u0000${pointer}`),
    },
    diagnostics,
  };
}

function findCycle(start: string, deps: Map<string, string[]>, placed: Set<string>): string[] | undefined {
  const path: string[] = [];
  const onPath = new Map<string, number>();
  const done = new Set<string>();
  const dfs = (a: string): string[] | undefined => {
    onPath.set(a, path.length);
    path.push(a);
    for (const d of deps.get(a) ?? []) {
      if (placed.has(d) || done.has(d)) continue;
      const at = onPath.get(d);
      if (at !== undefined) return path.slice(at);
      const found = dfs(d);
      if (found) return found;
    }
    path.pop();
    onPath.delete(a);
    done.add(a);
    return undefined;
  };
  return dfs(start);
}
