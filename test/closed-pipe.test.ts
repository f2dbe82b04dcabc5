import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { copyExample, repoRoot, rosterBin } from './helpers.js';

/**
 * `roster … | head -1` through a real shell pipe: the reader exits after one line, and roster
 * must end quietly (no EPIPE stack trace) with its own exit code, reported by the shell on fd 3.
 */
function piped(
  args: string,
  reader: string,
): Promise<{ stdout: string; stderr: string; rosterCode: number }> {
  const script = `{ "${process.execPath}" "${rosterBin}" ${args}; echo "roster-exit=$?" >&3; } 3>&2 | ${reader}`;
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', script],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } },
      (_e, stdout, stderr) => {
        const m = /roster-exit=(\d+)/.exec(stderr);
        resolve({
          stdout,
          stderr: stderr.replace(/roster-exit=\d+\n?/, ''),
          rosterCode: m ? Number(m[1]) : -1,
        });
      },
    );
  });
}

describe('output into a closed pipe', () => {
  const cases: [string, number][] = [
    ['--help', 0],
    ['providers', 0],
    ['providers --format json', 0],
    ['validate -f examples/quickstart --help', 0],
  ];
  for (const [args, code] of cases) {
    it(`roster ${args} | head -1 ends quietly`, async () => {
      // Several runs: whether the reader has gone before a write is a race; each must be quiet.
      for (let i = 0; i < 3; i++) {
        const r = await piped(args, 'head -1');
        expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
        expect(r.stderr).not.toMatch(/EPIPE|node:events|at /);
        expect(r.stderr).toBe('');
        expect(r.rosterCode).toBe(code);
      }
    });
  }

  it("roster plan -f … | head -1 ends quietly with the plan's exit code", async () => {
    const dir = copyExample('quickstart');
    const r = await piped(`plan -f "${dir}" --allow-empty-state --detailed-exitcode`, 'head -1');
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|node:events|\bat /);
    expect(r.rosterCode).toBe(2);
  });

  it('a reader that reads nothing (| true) closes the pipe before the first write', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await piped('providers --format json', 'true');
      expect(r.stderr).toBe('');
      expect(r.rosterCode).toBe(0);
    }
  });
});
