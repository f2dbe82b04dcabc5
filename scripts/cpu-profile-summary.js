#!/usr/bin/env node
// Summarise a V8 CPU profile (`node --cpu-prof`, e.g. from BENCH_FLEET_PROFILE_DIR): total sampled
// time, then self time by function and by file (packages by name, roster's own files by path), the
// top N of each, and inclusive time (self and callees) by function. Used to find where a fleet run spends its CPU (docs/benchmarks.md, "Fleet drift").
// Usage: node scripts/cpu-profile-summary.js FILE.cpuprofile [--top N] [--json] [--callers FUNCTION]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
if (!file) {
  console.error('usage: node scripts/cpu-profile-summary.js FILE.cpuprofile [--top N] [--json]');
  process.exit(1);
}
const ti = args.indexOf('--top');
const top = ti >= 0 ? Number(args[ti + 1]) : 25;
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Each sample is one node (the function on top of the stack); its duration is the next time delta.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
}
const totalUs = profile.endTime - profile.startTime;

// The CLI runs from an esbuild bundle, which marks where each source file starts with a
// `// path/to/file.js` comment: map a bundle line back to that file.
const sourceMaps = new Map();
function bundledSource(url, line) {
  if (!/\/bundle\//.test(url) || !url.startsWith('file://')) return undefined;
  let starts = sourceMaps.get(url);
  if (!starts) {
    starts = [];
    try {
      const lines = readFileSync(new URL(url), 'utf8').split('\n');
      lines.forEach((l, i) => {
        const m = l.match(/^\/\/ ((?:packages|node_modules)\/\S+\.[cm]?js)$/);
        if (m) starts.push([i, m[1]]);
      });
    } catch {
      // the bundle was rebuilt or removed since: keep the bundle's name
    }
    sourceMaps.set(url, starts);
  }
  let found;
  for (const [at, file] of starts) {
    if (at > line) break;
    found = file;
  }
  return found;
}

/** A file as a reader knows it: `pkg@version` for a dependency, a repository path for roster's own. */
function fileOf(url, line = 0) {
  if (!url) return '(native)';
  const bundled = bundledSource(url, line);
  if (bundled) return fileOf(`file:///${bundled}`);
  if (url.startsWith('node:')) return url;
  const pnpm = url.match(/node_modules\/\.pnpm\/([^/]+)\/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pnpm) return pnpm[2];
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1];
  const pkg = url.match(/packages\/(.+)$/);
  return pkg ? `packages/${pkg[1]}` : url.replace(/^file:\/\//, '');
}

const fns = new Map();
const files = new Map();
let idle = 0;
let gc = 0;
for (const [id, us] of selfUs) {
  const { callFrame } = byId.get(id);
  const name = callFrame.functionName || '(anonymous)';
  if (name === '(idle)') {
    idle += us;
    continue;
  }
  if (name === '(garbage collector)') gc += us;
  const f = fileOf(callFrame.url, callFrame.lineNumber);
  const key = `${name} ${f}:${callFrame.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  files.set(f, (files.get(f) ?? 0) + us);
}
const busy = totalUs - idle;

// Inclusive time: each sample counts once for every distinct function on its stack.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (id) => {
  const { callFrame } = byId.get(id);
  return `${callFrame.functionName || '(anonymous)'} ${fileOf(callFrame.url, callFrame.lineNumber)}:${callFrame.lineNumber + 1}`;
};
const inclusive = new Map();
for (const [id, us] of selfUs) {
  if (byId.get(id).callFrame.functionName === '(idle)') continue;
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) seen.add(keyOf(at));
  for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
}
const ms = (us) => (us / 1000).toFixed(0);
const rank = (m) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => ({ ms: Number(ms(us)), pct: Number(((100 * us) / busy).toFixed(1)), what: k }));
const summary = {
  file,
  wallMs: Number(ms(totalUs)),
  busyMs: Number(ms(busy)),
  idleMs: Number(ms(idle)),
  gcMs: Number(ms(gc)),
  byFunction: rank(fns),
  byFile: rank(files),
  inclusive: rank(inclusive),
};
// --callers NAME: the stacks (5 frames up) that end in functions called NAME, by self time.
const ci = args.indexOf('--callers');
if (ci >= 0) {
  const wanted = args[ci + 1];
  const stacks = new Map();
  for (const [id, us] of selfUs) {
    if (byId.get(id).callFrame.functionName !== wanted) continue;
    const frames = [];
    for (let at = parent.get(id); at !== undefined && frames.length < 6; at = parent.get(at))
      frames.push(keyOf(at));
    const k = frames.join(' < ');
    stacks.set(k, (stacks.get(k) ?? 0) + us);
  }
  summary.callers = rank(stacks);
}
if (args.includes('--json')) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
else {
  const lines = [
    `${file}: ${summary.wallMs} ms profiled, ${summary.busyMs} ms on the main thread (GC ${summary.gcMs} ms), ${summary.idleMs} ms idle`,
    '',
    'self time by function:',
    ...summary.byFunction.map(
      (r) => `${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)}%  ${r.what}`,
    ),
    '',
    'self time by file:',
    ...summary.byFile.map((r) => `${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)}%  ${r.what}`),
    '',
    'inclusive time by function (self and callees):',
    ...summary.inclusive.map(
      (r) => `${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)}%  ${r.what}`,
    ),
    ...(summary.callers
      ? [
          '',
          `stacks ending in ${args[ci + 1]}:`,
          ...summary.callers.map(
            (r) => `${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)}%  ${r.what}`,
          ),
        ]
      : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
