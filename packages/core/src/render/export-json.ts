import type { ExportedManifest, ExportNote } from '../project/export-manifests.js';

/** `roster export --out DIR --format json` (schemas/export.schema.json): what was written. */
export interface ExportJson {
  /** The Provider document read (`--provider`). */
  provider: string;
  /** `--kind`, when only one kind was exported. */
  kind?: string;
  /** The files written, relative to the working directory. */
  files: Array<{ path: string; kind: string; count: number }>;
  /** One per object exported; `placeholders` are the attributes marked TODO for a person to fill in. */
  manifests: Array<{
    address: string;
    kind: string;
    name: string;
    naturalKey: string;
    placeholders: string[];
  }>;
  /** Kinds and objects left out, and why. */
  notes: ExportNote[];
}

export function exportJson(input: {
  provider: string;
  kind?: string;
  files: ExportJson['files'];
  manifests: readonly ExportedManifest[];
  notes: readonly ExportNote[];
}): ExportJson {
  return {
    provider: input.provider,
    ...(input.kind !== undefined ? { kind: input.kind } : {}),
    files: input.files,
    manifests: input.manifests.map((m) => ({
      address: `${input.provider}/${m.kind}/${m.name}`,
      kind: m.kind,
      name: m.name,
      naturalKey: m.naturalKey,
      placeholders: m.placeholders,
    })),
    notes: [...input.notes],
  };
}
