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

  it('schemas/ holds no file generation does not yield, besides the output formats written by hand', () => {
    const handWritten = ['plan.schema.json', 'version.schema.json'];
    const committed = readdirSync(schemasDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json') && !handWritten.includes(f))
      .map((f) => f.split(path.sep).join('/'))
      .sort();
    expect(committed).toEqual(
      providerSchemaFiles()
        .map((f) => f.file)
        .sort(),
    );
  });
});
