import type { Diagnostic } from '../../diagnostics.js';
import { fmt } from '../../format/fmt.js';
import type { KindDefinition, RemoteObject } from '../../provider.js';
import type { StateDocument, StateResource } from '../../state/types.js';
import { project } from '../project-attributes.js';
import { remoteFingerprint } from '../remote-fingerprint.js';
import type { RemoteIndex } from '../remote-index.js';
import type { RemoteSnapshot } from '../remote-snapshot.js';
import { type Draft, draft, stateSubject } from './draft.js';
import { preventDestroyRefusal } from './prevent-destroy.js';

/**
 * Resources in state that no manifest declares any more, dependents first: each is deactivated or
 * deleted (its `onRemove`, else the kind's `deleteMode`), forgotten when already gone (or already
 * deactivated), refused when protected by `preventDestroy`.
 */
export function planRemovals(req: {
  state: StateDocument;
  /** Addresses in state no manifest declares. */
  removed: string[];
  targets?: ReadonlySet<string>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
  snapshot: RemoteSnapshot;
  index: RemoteIndex;
}): { drafts: Draft[]; diagnostics: Diagnostic[]; forget: string[] } {
  const drafts: Draft[] = [];
  const diagnostics: Diagnostic[] = [];
  const forget: string[] = [];
  for (const address of reverseDependencyOrder(req.state, req.removed)) {
    const st = req.state.resources[address]!;
    if (req.targets && !req.targets.has(address)) continue;
    const def = req.kindOf(st.provider, st.kind);
    if (!def) {
      diagnostics.push({
        severity: 'error',
        code: 'plan.unknown-kind',
        address,
        message: `state holds ${address}, but provider ${st.provider} is not declared in the manifests (or does not support ${st.kind}); declare it again, or run: roster state rm ${address}`,
      });
      continue;
    }
    if (!req.snapshot.get(st.provider)?.has(st.kind)) continue;
    const remote = req.index.byId(st.provider, st.kind, st.id);
    const refusal = remote && preventDestroyRefusal(address, st);
    if (refusal) diagnostics.push(refusal);
    if (!remote || refusal) {
      if (!remote) forget.push(address);
      continue;
    }
    const removal = removalDraft(req.state, address, st, def, remote);
    if (removal) drafts.push(removal);
    else forget.push(address);
  }
  return { drafts, diagnostics, forget };
}

/** The deactivation or deletion of one removed resource; undefined when it is deactivated already. */
function removalDraft(
  state: StateDocument,
  address: string,
  st: StateResource,
  def: KindDefinition,
  remote: RemoteObject,
): Draft | undefined {
  const subject = stateSubject(address, st, def);
  const common = {
    risk: 'high' as const,
    id: st.id,
    remoteFingerprint: remoteFingerprint(remote),
    after_addresses: dependentsInState(state, address),
  };
  const mode = st.lifecycle?.onRemove ?? def.deleteMode;
  if (mode !== 'deactivate') {
    return draft(subject, {
      action: 'delete',
      reasons: [
        {
          path: '',
          rule: st.lifecycle?.onRemove === 'delete' ? 'onRemove' : 'deleteMode',
          message: `removed from the manifests: ${st.kind} ${st.naturalKey} is deleted`,
        },
      ],
      before: project(remote.attributes, Object.keys(st.attributes)),
      after: null,
      operation: 'delete',
      ...common,
    });
  }
  const deact = def.deactivation;
  if (!deact)
    throw new Error(`kind ${st.kind} of ${st.provider} declares deactivate without a deactivation attribute`);
  if (remote.deactivated) return undefined;
  const keys = Object.keys(st.attributes);
  const before = project(
    remote.attributes,
    keys.includes(deact.attribute) ? keys : [...keys, deact.attribute],
  );
  return draft(subject, {
    action: 'deactivate',
    reasons: [
      {
        path: `/${deact.attribute}`,
        rule: 'deleteMode',
        message: `removed from the manifests: ${st.kind} ${st.naturalKey} is deactivated (${deact.attribute}: ${fmt(deact.value)}), not deleted — the system keeps it for its audit trail`,
      },
    ],
    before,
    after: { ...before, [deact.attribute]: deact.value },
    operation: 'update',
    manualOperation: 'deactivate',
    changed: [deact.attribute],
    ...common,
  });
}

/** Removed resources ordered so that dependents go first (a user before the role it held). */
export function reverseDependencyOrder(state: StateDocument, addresses: string[]): string[] {
  const set = new Set(addresses);
  const visited = new Set<string>();
  const out: string[] = [];
  const visit = (a: string, stack: Set<string>) => {
    if (visited.has(a) || stack.has(a)) return;
    stack.add(a);
    for (const dep of state.resources[a]?.dependencies ?? []) if (set.has(dep)) visit(dep, stack);
    stack.delete(a);
    visited.add(a);
    out.push(a);
  };
  for (const a of addresses) visit(a, new Set());
  return out.reverse();
}

/** Addresses in state that depend on `address` (their removal comes first). */
export function dependentsInState(state: StateDocument, address: string): string[] {
  const out: string[] = [];
  for (const [a, r] of Object.entries(state.resources) as Array<[string, StateResource]>) {
    if (r.dependencies.includes(address)) out.push(a);
  }
  return out;
}
