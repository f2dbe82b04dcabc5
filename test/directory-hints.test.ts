import { describe, expect, it } from 'vitest';
import { repoRoot, roster } from './helpers.js';

/** The habits of `terraform apply DIR` / `kubectl apply DIR`: a directory without `-f` gets the hint. */
describe('a directory given without -f', () => {
  const cases: [string[], string][] = [
    [
      ['apply', 'examples/quickstart'],
      'error: examples/quickstart is a directory: to plan and apply the manifests in it, run roster apply -f examples/quickstart\n',
    ],
    [
      ['apply', 'examples/quickstart', '--auto-approve'],
      'error: examples/quickstart is a directory: to plan and apply the manifests in it, run roster apply -f examples/quickstart\n',
    ],
    [
      ['plan', 'examples/quickstart'],
      'error: examples/quickstart is a directory: to plan the manifests in it, run roster plan -f examples/quickstart\n',
    ],
    [
      ['validate', 'examples/quickstart'],
      'error: examples/quickstart is a directory: to validate the manifests in it, run roster validate -f examples/quickstart\n',
    ],
    [
      ['drift', 'examples/quickstart'],
      'error: examples/quickstart is a directory: to check the drift of the manifests in it, run roster drift -f examples/quickstart\n',
    ],
    [
      ['inventory', 'examples/company'],
      'error: examples/company is a directory: to inventory the systems of the manifests in it, run roster inventory -f examples/company\n',
    ],
  ];
  for (const [args, stderr] of cases) {
    it(`roster ${args.join(' ')}: one line naming -f, exit 1, nothing on stdout`, async () => {
      const r = await roster(args, { cwd: repoRoot });
      expect(r).toEqual({ code: 1, stdout: '', stderr });
    });
  }

  it('an argument that is not a directory keeps the usual messages', async () => {
    const plan = await roster(['plan', 'no-such-dir'], { cwd: repoRoot });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toBe("error: too many arguments for 'plan'. Expected 0 arguments but got 1.\n");
    const two = await roster(['validate', 'examples/quickstart', 'examples/company'], { cwd: repoRoot });
    expect(two.code).toBe(1);
    expect(two.stderr).toMatch(
      /^error: too many arguments for 'validate'\. Expected 0 arguments but got 2\.\n$/,
    );
    const apply = await roster(['apply', 'no-such-plan.json'], { cwd: repoRoot });
    expect(apply).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: cannot read plan file no-such-plan.json\n',
    });
  });
});
