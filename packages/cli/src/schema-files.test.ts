import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { providerSchemaFiles } from './schema-files.js';

const schemasDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../schemas');

describe('published provider schemas', () => {
  it.each(providerSchemaFiles().map((f) => [f.file, f.content]))(
    'schemas/%s is up to date (pnpm schemas)',
    (file, content) => {
      expect(readFileSync(path.join(schemasDir, file), 'utf8')).toBe(content);
    },
  );

  it('schemas/<type>/ holds no file generation does not yield (a removed kind or provider leaves none)', () => {
    // Top-level files besides the envelope, Policy and Backend are the output formats, written by hand.
    const committed = readdirSync(schemasDir, { recursive: true, encoding: 'utf8' })
      .map((f) => f.split(path.sep).join('/'))
      .filter((f) => f.endsWith('.json') && f.includes('/'))
      .sort();
    const generated = providerSchemaFiles()
      .map((f) => f.file)
      .filter((f) => f.includes('/'))
      .sort();
    expect(committed).toEqual(generated);
  });
});
