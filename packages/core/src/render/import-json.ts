import type { ImportResult } from '../project/import-object.js';

/** `roster import --format json` (schemas/import.schema.json): what was adopted into state. */
export interface ImportJson {
  address: string;
  kind: string;
  /** The system's id of the adopted object. */
  id: string;
  naturalKey: string;
  /** Manifest attributes whose value in the system differs: the next plan updates them. */
  differing: string[];
  /** Manifest attributes the system cannot report: the next plan asks a person to confirm them. */
  unverifiable: string[];
}

export function importJson(kind: string, result: ImportResult): ImportJson {
  return {
    address: result.address,
    kind,
    id: result.id,
    naturalKey: result.naturalKey,
    differing: result.differing,
    unverifiable: result.unverifiable,
  };
}
