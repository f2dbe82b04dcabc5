import type { DriftReport } from '../drift/report.js';

/** `roster drift --format json` (schemas/drift.schema.json): the report without its attestations. */
export type DriftJson = Omit<DriftReport, 'attestations'>;

/** The drift JSON document, fields in a fixed order: the fields `drift` always printed first. */
export function driftJson(report: DriftReport): DriftJson {
  return {
    formatVersion: report.formatVersion,
    lineage: report.lineage,
    serial: report.serial,
    createdAt: report.createdAt,
    classes: report.classes,
    drift: report.drift,
    unmanaged: report.unmanaged,
    ignored: report.ignored,
    ...(report.ignoreFile ? { ignoreFile: report.ignoreFile } : {}),
    diagnostics: report.diagnostics,
    stats: report.stats,
  };
}
