import type { StateDocument, StateResource } from '../state/types.js';

/** `roster state list --format json` (schemas/state-list.schema.json). */
export interface StateListJson {
  lineage: string;
  serial: number;
  /** The addresses in state (those matching the filter, when one was given), sorted. */
  addresses: string[];
}

/** `roster state show` (schemas/state-show.schema.json): the resource as state holds it, and how roster knows each attribute. */
export type StateShowJson = { address: string } & StateResource & { provenance: Record<string, string> };

export function stateListJson(doc: StateDocument, addresses: readonly string[]): StateListJson {
  return { lineage: doc.lineage, serial: doc.serial, addresses: [...addresses] };
}

export function stateShowJson(
  address: string,
  resource: StateResource,
  provenance: Record<string, string>,
): StateShowJson {
  return { address, ...resource, provenance };
}
