#!/usr/bin/env node
// Bundles the built CLI (dist/, from `tsc -b`) with the workspace packages and their third-party
// dependencies into bundle/, so the published @roster/cli needs nothing but Node 20+: no
// unpublished @roster/* package, and no registry at install time. Dynamic imports stay separate
// chunks, so the simulators load on first use as before; `pg` stays outside the bundle (an optional
// peer dependency, loaded only by the PostgreSQL state backend). Also copies the repository's
// schemas/ (published for editors and CI; roster itself builds the envelope from its providers) and writes
// the licences of the bundled packages to bundle/THIRD-PARTY-LICENSES.txt.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(cliDir, '../..');
const outdir = path.join(cliDir, 'bundle');

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { main: path.join(cliDir, 'dist/main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['pg'],
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies require Node's built-in modules (ajv, …) and read __filename
  // (write-file-atomic): give each ES module chunk its own `require`, `__filename` and `__dirname`.
  banner: {
    js: [
      "import { createRequire as __rosterRequire } from 'node:module';",
      "import { fileURLToPath as __rosterFileURLToPath } from 'node:url';",
      "import { dirname as __rosterDirname } from 'node:path';",
      'const require = __rosterRequire(import.meta.url);',
      'const __filename = __rosterFileURLToPath(import.meta.url);',
      'const __dirname = __rosterDirname(__filename);',
    ].join(' '),
  },
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});

// What main.js loads before any command runs must hold no module the sources import lazily
// (`await import(…)`: the simulators' servers): lazy stays lazy in the bundle.
const outputs = result.metafile.outputs;
const eager = new Set();
const pending = [path.relative(process.cwd(), path.join(outdir, 'main.js'))];
while (pending.length > 0) {
  const out = pending.pop();
  if (eager.has(out) || !outputs[out]) continue;
  eager.add(out);
  for (const i of outputs[out].imports)
    if (i.kind === 'import-statement' && !i.external) pending.push(i.path);
}
const eagerModules = new Set([...eager].flatMap((o) => Object.keys(outputs[o].inputs)));
const lazyModules = Object.values(result.metafile.inputs).flatMap((i) =>
  i.imports.filter((x) => x.kind === 'dynamic-import' && !x.external).map((x) => x.path),
);
const loadedEarly = [...new Set(lazyModules.filter((m) => eagerModules.has(m)))];
if (eagerModules.size === 0 || loadedEarly.length > 0)
  throw new Error(`modules imported lazily are loaded at start-up: ${loadedEarly.join(', ')}`);

// Test-only code (`@roster/core/testing`, the provider contract suite, and vitest it imports) has no
// place in the published CLI.
const testOnly = Object.keys(result.metafile.inputs).filter((i) =>
  /(^|\/)(packages\/core\/(dist|src)\/testing|node_modules\/(\.pnpm\/)?(vitest|@vitest))\//.test(i),
);
if (testOnly.length > 0) throw new Error(`test-only modules in the bundle: ${testOnly.join(', ')}`);

// Licences of every third-party package that went into the bundle.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const abs = path.resolve(input);
  const i = abs.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  if (i < 0) continue;
  const rest = abs.slice(i + '/node_modules/'.length).split(path.sep);
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  if (name.startsWith('@roster/')) continue;
  const dir = abs.slice(0, i + '/node_modules/'.length) + name;
  packages.set(name, dir);
}
const notices = [];
for (const [name, dir] of [...packages].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  if (!pkg.license && !file) throw new Error(`${name}: no licence to ship with the bundle`);
  const text = file
    ? readFileSync(path.join(dir, file), 'utf8').trim()
    : `(no licence file in the package; its source's notice is kept in the bundle)`;
  notices.push(`${name}@${pkg.version} (${pkg.license})\n\n${text}\n`);
}
writeFileSync(
  path.join(outdir, 'THIRD-PARTY-LICENSES.txt'),
  `Third-party packages bundled into @roster/cli\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`,
);

const schemas = path.join(cliDir, 'schemas');
rmSync(schemas, { recursive: true, force: true });
cpSync(path.join(repoRoot, 'schemas'), schemas, { recursive: true });
if (!existsSync(path.join(schemas, 'manifest.schema.json')))
  throw new Error('schemas/manifest.schema.json is missing');

// The versions of the workspace packages bundled in, for `roster version`: their package.json
// files are not shipped, and the providers' versions are what a bug report needs.
const versions = {};
for (const dir of readdirSync(path.join(repoRoot, 'packages')).sort()) {
  const file = path.join(repoRoot, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  versions[pkg.name] = pkg.version;
}
writeFileSync(path.join(outdir, 'package-versions.json'), `${JSON.stringify(versions, null, 2)}\n`);
