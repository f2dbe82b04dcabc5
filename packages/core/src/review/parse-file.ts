import type { Diagnostic } from '../diagnostics.js';
import type { ManifestFile } from '../manifest/find-files.js';
import { parseManifestText } from '../manifest/parse.js';
import { SchemaValidator } from '../manifest/schema-validator.js';
import type { SourcePosition } from '../manifest/types.js';
import { REVIEW_FILE_SCHEMA } from './schema.js';
import type { AccessReview } from './types.js';

/** A review file read and checked against its schema, with the way back to its lines. */
export interface ParsedReview {
  /** The file as messages name it. */
  file: string;
  review: AccessReview;
  /** Where a JSON pointer of the document (e.g. `/spec/population/3/decision`) is in the file. */
  positionOf(pointer: string): SourcePosition;
}

const validator = new SchemaValidator();

/**
 * Parse a review file's text with positions (the manifest parser: YAML errors, limits, duplicate
 * keys at their line), then hold it to `schemas/review.schema.json` and to one entry per address.
 * Every problem is a diagnostic at `file:line:column`; the review is returned only without any.
 */
export function parseReviewText(
  file: ManifestFile,
  text: string,
): { review?: ParsedReview; diagnostics: Diagnostic[] } {
  const parsed = parseManifestText(file, text);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: parsed.diagnostics };
  const problem = (message: string, at: SourcePosition): { diagnostics: Diagnostic[] } => ({
    diagnostics: [{ severity: 'error', code: 'review.file', message, ...at }],
  });
  const [doc, second] = parsed.documents;
  if (!doc) return problem('the review file is empty', { file: file.display, line: 1, column: 1 });
  if (second) return problem('a review file holds one document', second.start);

  const result = validator.check(REVIEW_FILE_SCHEMA, doc.value, '');
  if ('schemaError' in result) throw new Error(`review schema: ${result.schemaError}`);
  if (result.problems.length > 0) {
    return {
      diagnostics: result.problems.map((p) => ({
        severity: 'error',
        code: 'review.file',
        message: p.message,
        ...(p.at === 'key' ? doc.map.keyPositionOf(p.pointer) : doc.map.positionOf(p.pointer)),
      })),
    };
  }
  const review = doc.value as AccessReview;
  const seen = new Map<string, number>();
  const diagnostics: Diagnostic[] = [];
  for (const [i, item] of review.spec.population.entries()) {
    const first = seen.get(item.address);
    if (first === undefined) seen.set(item.address, i);
    else {
      const at = doc.map.positionOf(`/spec/population/${first}/address`);
      diagnostics.push({
        severity: 'error',
        code: 'review.file',
        message: `${item.address} is in the population twice; the first is at line ${at.line}`,
        ...doc.map.positionOf(`/spec/population/${i}/address`),
      });
    }
  }
  if (diagnostics.length > 0) return { diagnostics };
  return {
    review: { file: file.display, review, positionOf: (pointer) => doc.map.positionOf(pointer) },
    diagnostics: parsed.diagnostics,
  };
}
