import { readFileSync } from 'node:fs';
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
});
