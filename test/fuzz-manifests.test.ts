import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFiles, repoRoot, roster } from './helpers.js';
import { runInProcess } from './in-process-cli.js';
import { type Mutation, mutate, Prng } from './manifest-mutations.js';
import { soakScale } from './support/soak.js';

// Seeded: the seed is printed, and ROSTER_FUZZ_SEED replays a run (ROSTER_FUZZ_CASES sets how many).
// `pnpm test` runs 300 cases (12 through the binary), `pnpm test:soak` 3,000 (36): the same draw,
// so the quick run's cases are the first tenth of the soak run's.
const SEED = Number(process.env.ROSTER_FUZZ_SEED ?? 20_240_611);
const CASES = Number(process.env.ROSTER_FUZZ_CASES ?? soakScale(300, 3_000));
/** How many of the cases also run through the built CLI binary. */
const BINARY_CASES = soakScale(12, 36);
/** Examples that run entirely on sandboxes (examples/intacct points at the real Intacct). */
const BASES = ['quickstart', 'autotask', 'afas', 'getint', 'proliance', 'company'];

/** `file:line:column: error[code]: …` or `file:line: …`: an error a person can find in the file. */
const POSITIONED_ERROR = /^[^\s:][^:\n]*:\d+(?::\d+)?: error\b/m;
/** A stack frame, or an uncaught exception's `TypeError:`-style prefix: a crash, not a message. */
const CRASH = /\n\s+at \S|(?:^|\s)(?:[A-Z][A-Za-z]*)?Error: /;
const PASSWD = existsSync('/etc/passwd') ? (readFileSync('/etc/passwd', 'utf8').split('\n')[0] ?? '') : '';

interface Base {
  name: string;
  dir: string;
  files: Array<{ rel: string; text: string }>;
  /** The sandbox as persisted before the cases: it must stay exactly so. */
  sandbox: Map<string, string>;
}

interface Case {
  id: number;
  base: Base;
  rel: string;
  mutation: Mutation;
}

/** Every request the in-process simulators served, seen on the server side (whatever the client uses). */
const served: Array<{ method: string; url: string }> = [];
/** Requests to anything but loopback (a sandbox project must never leave the machine). */
const external: string[] = [];

/** Read endpoints: GET, and the POSTs the systems define as reads (OAuth2 token, query). */
function isWrite(r: { method: string; url: string }): boolean {
  if (r.method === 'GET' || r.method === 'HEAD') return false;
  const p = r.url.split('?')[0] ?? '';
  return !(r.method === 'POST' && (/\/oauth2\/token$/.test(p) || /\/query$/.test(p)));
}

function snapshot(dir: string): Map<string, string> {
  const root = path.join(dir, '.roster');
  return new Map(
    existsSync(root) ? allFiles(root).map((f) => [path.relative(root, f), readFileSync(f, 'latin1')]) : [],
  );
}

describe('fuzzing manifests: hostile and broken input is refused cleanly and writes nothing', () => {
  const bases: Base[] = [];
  const restore: Array<() => void> = [];

  beforeAll(async () => {
    const emit = http.Server.prototype.emit;
    http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
      if (event === 'request') {
        const req = args[0] as http.IncomingMessage;
        served.push({ method: req.method ?? '?', url: req.url ?? '' });
      }
      return Reflect.apply(emit, this, [event, ...args]) as boolean;
    } as typeof emit;
    restore.push(() => {
      http.Server.prototype.emit = emit;
    });
    const fetch = globalThis.fetch;
    globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
        external.push(url.origin);
        return Promise.reject(new TypeError('fetch failed: the fuzz test allows loopback only'));
      }
      return fetch(input, init);
    };
    restore.push(() => {
      globalThis.fetch = fetch;
    });

    for (const name of BASES) {
      const dir = mkdtempSync(path.join(tmpdir(), `roster-fuzz-${name}-`));
      cpSync(path.join(repoRoot, 'examples', name), dir, {
        recursive: true,
        filter: (src) => !src.includes(`${path.sep}.roster`),
      });
      // One valid plan first: it creates the sandbox, which the cases must then leave as it is. These
      // projects never have state (plans only): --allow-empty-state, so the manifests alone decide.
      const seeded = await runInProcess(['plan', '-f', dir, '--allow-empty-state']);
      expect(seeded.code, seeded.stderr).toBe(0);
      const files = readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((rel) => ({ rel, text: readFileSync(path.join(dir, rel), 'utf8') }));
      bases.push({ name, dir, files, sandbox: snapshot(dir) });
    }
  });

  afterAll(() => {
    for (const r of restore) r();
    for (const b of bases) rmSync(b.dir, { recursive: true, force: true });
  });

  function drawCases(): Case[] {
    const rng = new Prng(SEED);
    const all = bases.flatMap((b) => b.files.map((f) => f.text));
    return Array.from({ length: CASES }, (_, id) => {
      const base = rng.pick(bases);
      const file = rng.pick(base.files);
      return { id, base, rel: file.rel, mutation: mutate(file.text, all, rng) };
    });
  }

  /** What is wrong with one run's outcome, if anything. */
  function problems(
    c: Case,
    r: { code: number; stdout: string; stderr: string; thrown?: unknown },
  ): string[] {
    const out: string[] = [];
    const both = `${r.stdout}\n${r.stderr}`;
    if (r.thrown !== undefined) out.push(`main threw: ${String(r.thrown)}`);
    if (r.code !== 0 && r.code !== 1) out.push(`exit code ${r.code}`);
    if (c.mutation.mustFail && r.code !== 1) out.push(`exit ${r.code} for input that must be refused`);
    if (r.code === 1 && !POSITIONED_ERROR.test(r.stderr)) out.push('no file:line: error diagnostic');
    if (CRASH.test(both)) out.push('stack trace or exception in output');
    if (PASSWD && both.includes(PASSWD)) out.push('/etc/passwd content in output');
    return out;
  }

  it(
    `refuses ${CASES} mutated manifests (seed ${SEED}) with exit 1 and file:line errors, never a crash, never a write`,
    async () => {
      const cases = drawCases();
      const classes = new Map<string, { cases: number; refused: number; planned: number; ms: number }>();
      const failures: string[] = [];
      const started = Date.now();
      for (const c of cases) {
        const file = path.join(c.base.dir, c.rel);
        const original = c.base.files.find((f) => f.rel === c.rel)?.text ?? '';
        const before = served.length;
        writeFileSync(file, c.mutation.content);
        let r: Awaited<ReturnType<typeof runInProcess>>;
        const t0 = Date.now();
        try {
          r = await runInProcess(['plan', '-f', c.base.dir, '--allow-empty-state']);
        } finally {
          writeFileSync(file, original);
        }
        const found = problems(c, r);
        const writes = served.slice(before).filter(isWrite);
        if (writes.length > 0)
          found.push(`write API called: ${writes.map((w) => `${w.method} ${w.url}`).join(', ')}`);
        const after = snapshot(c.base.dir);
        for (const [f, content] of c.base.sandbox)
          if (after.get(f) !== content) found.push(`sandbox file ${f} changed`);
        // A mutation may rename the provider: its new, empty sandbox is not part of the next case.
        for (const f of after.keys()) {
          if (!c.base.sandbox.has(f)) rmSync(path.join(c.base.dir, '.roster', f), { force: true });
        }
        const stat = classes.get(c.mutation.cls) ?? { cases: 0, refused: 0, planned: 0, ms: 0 };
        stat.cases += 1;
        stat.ms += Date.now() - t0;
        if (r.code === 1) stat.refused += 1;
        else stat.planned += 1;
        classes.set(c.mutation.cls, stat);
        if (found.length > 0 && failures.length < 20) {
          failures.push(
            `case ${c.id} (${c.mutation.cls}, ${c.base.name}/${c.rel}): ${found.join('; ')}\n    stderr: ${r.stderr.slice(0, 600)}`,
          );
        }
      }
      const ms = Date.now() - started;
      const table = [...classes.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(
          ([cls, s]) =>
            `  ${cls.padEnd(26)} ${String(s.cases).padStart(5)} cases, ${s.refused} refused, ${s.planned} planned, ${s.ms} ms`,
        );
      console.log(
        `fuzz: seed ${SEED}, ${cases.length} cases in ${ms} ms across ${classes.size} classes, ${served.length} simulator requests (0 writes allowed), ${external.length} external requests\n${table.join('\n')}`,
      );
      expect(external).toEqual([]);
      expect(failures).toEqual([]);
      expect(classes.size).toBeGreaterThanOrEqual(20);
    },
    soakScale(300_000, 900_000),
  ); // a bound for a hang only

  it(`the built CLI gives the same answers for ${BINARY_CASES} of the cases`, async () => {
    const small = drawCases().filter((c) => c.mutation.content.length < 256 * 1024);
    const step = Math.max(1, Math.floor(small.length / BINARY_CASES));
    const cases = small.filter((_, i) => i % step === 0).slice(0, BINARY_CASES);
    const failures: string[] = [];
    // Each case in its own scratch project, so a few run side by side.
    const results: Array<{ c: Case; r: Awaited<ReturnType<typeof roster>>; state: boolean }> = [];
    const queue = [...cases];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const dir = mkdtempSync(path.join(tmpdir(), 'roster-fuzz-bin-'));
        for (const f of c.base.files) writeFileSync(path.join(dir, f.rel), f.text);
        writeFileSync(path.join(dir, c.rel), c.mutation.content);
        const r = await roster(['plan', '-f', dir, '--allow-empty-state'], { cwd: dir });
        results.push({ c, r, state: existsSync(path.join(dir, '.roster', 'state.json')) });
        rmSync(dir, { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    for (const { c, r, state } of results) {
      const found = problems(c, r);
      if (state) found.push('plan wrote state');
      if (found.length > 0)
        failures.push(`case ${c.id} (${c.mutation.cls}): ${found.join('; ')}\n    ${r.stderr.slice(0, 400)}`);
    }
    console.log(
      `fuzz (built CLI): ${results.length} cases, ${results.filter((x) => x.r.code === 1).length} refused`,
    );
    expect(results.length).toBe(BINARY_CASES);
    expect(failures).toEqual([]);
  }, 180_000);
});
