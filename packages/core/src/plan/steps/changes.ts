import jsonpatch from 'fast-json-patch';
import type { Diagnostic } from '../../diagnostics.js';
import type { KindDefinition } from '../../provider.js';
import type { PatchOperation, PlannedChange } from '../types.js';
import type { Draft } from './draft.js';
import { executionOf, manualPart } from './execution.js';
import { mask, maskPatch, plainRecord } from './masking.js';

/**
 * The drafts as the plan's changes: numbered, each depending on the earlier changes of itself and
 * of what it waits for, masked, with how it is carried out (an impossible one is an error).
 */
export function toChanges(
  drafts: readonly Draft[],
  kindOf: (provider: string, kind: string) => KindDefinition | undefined,
): { changes: PlannedChange[]; diagnostics: Diagnostic[] } {
  const changes: PlannedChange[] = [];
  const diagnostics: Diagnostic[] = [];
  const lastIndexByAddress = new Map<string, number[]>();
  for (const draft of drafts) {
    const def = kindOf(draft.provider, draft.kind)!;
    const mode = executionOf(draft, def);
    if (mode.execution === 'none') {
      diagnostics.push({
        severity: 'error',
        code: 'plan.unsupported-operation',
        address: draft.address,
        message: `${draft.action} of a ${draft.provider} ${draft.kind} is not possible in this system`,
      });
    }
    const manual = mode.execution === 'manual' ? manualPart(draft, def, mode) : undefined;
    const attested = Object.keys(draft.after ?? {}).filter((k) => draft.rules[k]?.verifiable === false);
    const dependsOn = new Set<number>();
    for (const dep of [draft.address, ...draft.after_addresses]) {
      for (const i of lastIndexByAddress.get(dep) ?? []) dependsOn.add(i);
    }
    const index = changes.length;
    changes.push({
      index,
      address: draft.address,
      provider: draft.provider,
      kind: draft.kind,
      action: draft.action,
      reasons: draft.reasons,
      patch: maskPatch(
        jsonpatch.compare(
          plainRecord(draft.before ?? {}),
          plainRecord(draft.after ?? {}),
        ) as PatchOperation[],
        draft.rules,
      ),
      before: mask(draft.before, draft.rules),
      after: mask(draft.after, draft.rules),
      execution: mode.execution === 'none' ? 'manual' : mode.execution,
      risk: draft.risk,
      ...(draft.steps && draft.steps.length > 0 ? { steps: draft.steps } : {}),
      ...(draft.id !== undefined ? { id: draft.id } : {}),
      naturalKey: draft.naturalKey,
      ...(draft.remoteFingerprint ? { remoteFingerprint: draft.remoteFingerprint } : {}),
      name: draft.name,
      dependencies: draft.dependencies,
      ...(draft.lifecycle ? { lifecycle: draft.lifecycle } : {}),
      dependsOn: [...dependsOn].sort((a, b) => a - b),
      ...(manual ? { manual } : {}),
      ...(attested.length > 0 ? { attested } : {}),
      ...(draft.attestFromRunbook ? { attestFromRunbook: draft.attestFromRunbook } : {}),
      ...(draft.credentials ? { credentials: draft.credentials } : {}),
    });
    const list = lastIndexByAddress.get(draft.address) ?? [];
    list.push(index);
    lastIndexByAddress.set(draft.address, list);
  }
  return { changes, diagnostics };
}
