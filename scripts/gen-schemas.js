#!/usr/bin/env node
// Writes schemas/manifest.schema.json (the envelope, whose kinds are the providers') and
// schemas/<type>/<Kind>.schema.json from the built providers' kind definitions, so the published
// schemas (for editors and CI) never drift from what roster validates with.
// Usage: pnpm build && node scripts/gen-schemas.js [--check]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { providerSchemaFiles } from '../packages/cli/dist/schema-files.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const { file, content } of providerSchemaFiles()) {
  const target = path.join(root, 'schemas', file);
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current === content) continue;
  if (check) {
    console.error(`out of date: schemas/${file} (run: pnpm schemas)`);
    stale += 1;
  } else {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    console.error(`wrote schemas/${file}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
