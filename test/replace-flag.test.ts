import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, readJson, roster } from './helpers.js';

const ADDR = 'intacct-sandbox/SecurityLevel/gl-read';
const idOf = (dir: string) =>
  readJson<{ resources: Record<string, { id: string }> }>(path.join(dir, '.roster/state.json')).resources[
    ADDR
  ]?.id;

describe('--replace ADDR forces a replacement (examples/quickstart on the Intacct sandbox)', () => {
  it('plans a replace of an unchanged object, apply performs it, the next plan has no changes', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const before = idOf(dir);
    expect(before).toBeTruthy();

    const plan = await roster(['plan', '--detailed-exitcode', '--replace', ADDR], { cwd: dir });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`# ${ADDR} must be replaced`);
    expect(plan.stdout).toContain('replacement requested with --replace');
    // The old role goes first (the new one keeps its name), so the group holding it is re-linked.
    expect(plan.stdout).toContain('# intacct-sandbox/Group/integrations will be updated in place');
    expect(plan.stdout).toContain(
      'Plan: 0 to create, 1 to update, 1 to replace, 0 to deactivate, 0 to delete.',
    );

    const json = await roster(['plan', '--format', 'json', '--replace', ADDR], { cwd: dir });
    const changes = (
      JSON.parse(json.stdout) as {
        changes: { address: string; action: string; reasons: { rule: string; message: string }[] }[];
      }
    ).changes;
    expect(changes.map((c) => [c.address, c.action])).toEqual([
      [ADDR, 'replace'],
      ['intacct-sandbox/Group/integrations', 'update'],
    ]);
    expect(changes[0]!.reasons[0]).toMatchObject({ rule: 'replace' });

    const apply = await roster(['apply', '--auto-approve', '--replace', ADDR], { cwd: dir });
    expect(apply.stderr).toContain(`${ADDR}: replace done`);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('1 replaced');
    expect(idOf(dir)).not.toBe(before);

    const again = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);

    // A user deactivated keeps its ID: no new one can be made beside it, so the flag is refused.
    const user = 'intacct-sandbox/ServiceAccount/bi-export';
    const refused = await roster(['plan', '--replace', user], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      new RegExp(
        `^service-accounts\\.yaml:\\d+:1: error\\[replace\\.unsupported\\]: --replace ${user}: [^\\n]*\\n$`,
      ),
    );
  });
});
