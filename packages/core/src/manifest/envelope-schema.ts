import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonSchema } from '../provider.js';

const RELATIVE = path.join('schemas', 'manifest.schema.json');

/**
 * Where `schemas/manifest.schema.json` is: the nearest ancestor directory of this module that has
 * it. Sources (`packages/core/src/manifest/`, under vitest) and the build (`packages/core/dist/manifest/`)
 * sit at the same depth, and a bundled or installed layout may differ, so the file is searched
 * for instead of assuming a fixed number of `..`.
 */
export function envelopeSchemaPath(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let cached: { schema: JsonSchema } | { error: string } | undefined;

/**
 * The manifest envelope schema (`apiVersion`, `kind`, `metadata`, `spec`, `lifecycle`), read once.
 * The same file is what editors validate with through `# yaml-language-server: $schema=…`.
 */
export function envelopeSchema(): { schema: JsonSchema } | { error: string } {
  if (!cached) {
    const file = envelopeSchemaPath();
    if (!file) {
      cached = { error: `${RELATIVE} was not found above ${path.dirname(fileURLToPath(import.meta.url))}` };
    } else {
      try {
        cached = { schema: JSON.parse(readFileSync(file, 'utf8')) as JsonSchema };
      } catch (err) {
        cached = { error: `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
  }
  return cached;
}
