import { kindCapabilities, runbookStep } from '../../kind-operations.js';
import type { Execution, KindDefinition, ManualOperation } from '../../provider.js';
import type { ManualPart } from '../types.js';
import type { Draft } from './draft.js';
import { plainRecord, plainValue, stripSensitive } from './masking.js';

/** How a change is carried out, and for an update which attributes go by API or by hand. */
export interface ExecutionMode {
  execution: Execution;
  apiAttributes: string[];
  manualAttributes: string[];
}

function combineExecution(list: Execution[]): Execution {
  if (list.includes('none')) return 'none';
  if (list.includes('manual')) return 'manual';
  return 'api';
}

/**
 * How a change is carried out: by operation from the kind's capabilities, and for updates per
 * attribute (an attribute may only be changeable in the system's UI).
 */
export function executionOf(draft: Draft, def: KindDefinition): ExecutionMode {
  if (draft.manualOperation === 'reconfirm')
    return { execution: 'manual', apiAttributes: [], manualAttributes: draft.reconfirm ?? [] };
  if (draft.action === 'rotate')
    return { execution: kindCapabilities(def).rotate, apiAttributes: [], manualAttributes: [] };
  const apiAttributes: string[] = [];
  const manualAttributes: string[] = [];
  const list: Execution[] = [];
  for (const op of [draft.operation, ...(draft.alsoOperations ?? [])]) {
    if (op === 'read') continue; // adopting an object only reads it
    if (op !== 'update' || !draft.changed) {
      list.push(kindCapabilities(def)[op]);
      continue;
    }
    for (const key of draft.changed) {
      const e = draft.rules[key]?.update ?? kindCapabilities(def).update;
      list.push(e);
      if (e === 'api') apiAttributes.push(key);
      else manualAttributes.push(key);
    }
  }
  return { execution: list.length === 0 ? 'api' : combineExecution(list), apiAttributes, manualAttributes };
}

/** The manual step of a change, with the provider's runbook (or a plain one when it has none). */
export function manualPart(draft: Draft, def: KindDefinition, mode: ExecutionMode): ManualPart {
  const operation: ManualOperation =
    draft.manualOperation ??
    (draft.operation === 'create' ? 'create' : draft.operation === 'delete' ? 'delete' : 'update');
  const attributes = plainRecord(draft.desired ?? draft.after ?? draft.before ?? {});
  const changes =
    operation === 'update' || operation === 'deactivate'
      ? Object.fromEntries(mode.manualAttributes.map((k) => [k, plainValue(draft.after?.[k])]))
      : undefined;
  const req = {
    operation,
    kind: draft.kind,
    address: draft.address,
    name: draft.name,
    naturalKey: draft.naturalKey,
    attributes: stripSensitive(attributes, draft.rules),
    ...(changes ? { changes: stripSensitive(changes, draft.rules) } : {}),
    ...(draft.before ? { prior: stripSensitive(plainRecord(draft.before), draft.rules) } : {}),
    ...(draft.reconfirm ? { reconfirm: draft.reconfirm } : {}),
  };
  const runbook = runbookStep(def, req) ?? {
    system: draft.provider,
    title: `${operation} ${draft.kind} ${draft.naturalKey}`,
    uiPath: [],
    fields: Object.entries(changes ?? req.attributes).map(([label, value]) => ({
      label,
      value: typeof value === 'string' ? value : JSON.stringify(value),
    })),
  };
  return {
    operation,
    runbook,
    apiAttributes: operation === 'update' ? mode.apiAttributes : [],
    attributes: operation === 'create' ? Object.keys(req.attributes) : mode.manualAttributes,
  };
}
