import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, roster, serveSandbox } from './helpers.js';
import { IntacctApi } from './intacct-api.js';

/**
 * Faults and rate limits, end to end: the examples applied against simulators that answer 10% of
 * requests with a 5xx, throttle 5% with 429 and drop 2% of connections (half of those after the
 * change was made, so the client never learns its create succeeded). `roster apply` is run until
 * it exits 0; then, faults off, the plan is empty and each sandbox holds every declared object
 * exactly once by its natural key — nothing lost, nothing doubled.
 */
const FAULTS = {
  ROSTER_SANDBOX_ERROR_RATE: '0.1',
  ROSTER_SANDBOX_THROTTLE_RATE: '0.05',
  ROSTER_SANDBOX_DROP_RATE: '0.02',
};
/** Runs of `roster apply` allowed before the test gives up: convergence must be quick. */
const MAX_RUNS = 5;
const INTACCT_USERS = 100;
const AFAS_USERS = 20;
const AUTOTASK_USERS = 15;

const pad = (n: number) => String(n).padStart(3, '0');

/** What the runs of one project went through, from the `-v` logs. */
interface Figures {
  runs: number;
  exitCodes: number[];
  errors: number;
  throttles: number;
  drops: number;
  dropsAfter: number;
  retries: number;
  /** Creates whose answer was lost, found made by their natural key. */
  foundAfterAll: number;
  /** Creates whose answer was lost, not found, and sent again. */
  resent: number;
  /** Creates left unknown for the next run to reconcile. */
  outcomeUnknown: number;
  seconds: number;
}

async function applyUntilConverged(dir: string, extra: string[] = []): Promise<Figures> {
  const f: Figures = {
    runs: 0,
    exitCodes: [],
    errors: 0,
    throttles: 0,
    drops: 0,
    dropsAfter: 0,
    retries: 0,
    foundAfterAll: 0,
    resent: 0,
    outcomeUnknown: 0,
    seconds: 0,
  };
  const started = Date.now();
  for (let i = 0; i < MAX_RUNS; i++) {
    const r = await roster(['apply', '--auto-approve', '-v', ...extra], { cwd: dir, env: FAULTS });
    f.runs += 1;
    f.exitCodes.push(r.code);
    for (const m of r.stderr.matchAll(
      /sandbox faults injected: (\d+) errors \(5xx\), (\d+) throttled \(429\), (\d+) dropped connections \((\d+) after/g,
    )) {
      f.errors += Number(m[1]);
      f.throttles += Number(m[2]);
      f.drops += Number(m[3]);
      f.dropsAfter += Number(m[4]);
    }
    f.retries += r.stderr.match(/retrying in \d+ ms/g)?.length ?? 0;
    f.foundAfterAll += r.stderr.match(/the first attempt did succeed/g)?.length ?? 0;
    f.resent += r.stderr.match(/not found after/g)?.length ?? 0;
    f.outcomeUnknown += r.stderr.match(/may or may not have carried out/g)?.length ?? 0;
    if (r.code === 0) break;
    // Anything but an API failure (1) means something other than the faults went wrong.
    expect(r.code, r.stderr.slice(-2000)).toBe(1);
  }
  f.seconds = Math.round((Date.now() - started) / 100) / 10;
  expect(f.exitCodes.at(-1), `apply did not converge in ${MAX_RUNS} runs`).toBe(0);
  return f;
}

/** Faults off: nothing left to do. */
async function expectNoChanges(dir: string): Promise<void> {
  const plan = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
  expect(plan.code, plan.stdout + plan.stderr).toBe(0);
}

function expectEachOnce(keys: string[], declared: string[]): void {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
  expect(declared.filter((k) => !counts.has(k))).toEqual([]);
}

function report(name: string, f: Figures): void {
  console.log(
    `faults ${name}: converged in ${f.runs} apply run(s) (exit codes ${f.exitCodes.join(', ')}), ${f.seconds} s; ` +
      `injected ${f.errors} 5xx, ${f.throttles} 429, ${f.drops} dropped connections (${f.dropsAfter} after the change); ` +
      `client retries ${f.retries}; creates with a lost answer: ${f.foundAfterAll} found made, ${f.resent} not made and sent again, ${f.outcomeUnknown} left to the next run`,
  );
}

/**
 * Copy `example`, add `count` generated documents (`doc(u)`) in `generated.yaml`, apply under
 * faults until it converges, and check that, faults off, nothing is left to do.
 */
async function convergeWithGenerated(req: {
  name: string;
  example: string;
  count: number;
  doc: (u: number) => string;
  applyArgs?: string[];
}): Promise<{ dir: string; figures: Figures }> {
  const dir = copyExample(req.example);
  writeFileSync(
    path.join(dir, 'generated.yaml'),
    Array.from({ length: req.count }, (_, u) => req.doc(u)).join('---\n'),
  );
  const figures = await applyUntilConverged(dir, req.applyArgs);
  report(req.name, figures);
  await expectNoChanges(dir);
  return { dir, figures };
}

/** Serve the project's sandbox of `provider` (faults off) while `inspect` looks at it. */
async function inSandbox(
  dir: string,
  provider: string,
  inspect: (url: string) => Promise<void>,
): Promise<void> {
  const served = await serveSandbox(dir, provider);
  try {
    await inspect(served.url);
  } finally {
    await served.stop();
  }
}

// The three systems run at once: each in its own project, processes and sandbox.
describe.concurrent('apply under 10% 5xx, 5% 429 and 2% dropped connections', () => {
  it(`Intacct: the quickstart plus ${INTACCT_USERS} generated users converge with nothing lost or doubled`, async () => {
    const ids = Array.from({ length: INTACCT_USERS }, (_, u) => `WS_GEN_${pad(u)}`);
    const { dir, figures } = await convergeWithGenerated({
      name: 'intacct',
      example: 'quickstart',
      count: INTACCT_USERS,
      doc: (u) => {
        const email = `ws-gen-${pad(u)}@example.com`;
        return `apiVersion: roster/v1
kind: ServiceAccount
metadata:
  name: gen-${pad(u)}
  provider: intacct-sandbox
  labels: { owner: platform, purpose: fault-test }
spec:
  id: ${ids[u]}
  userName: Generated ${pad(u)}
  email: ${email}
  contact: { firstName: Generated, lastName: N${pad(u)}, email: ${email} }
  userType: business
  adminPrivileges: off
  status: ${u % 5 === 0 ? 'inactive' : 'active'}
  roles: [{ ref: ${u % 2 === 0 ? 'ap-sync' : 'gl-read'} }]
  groups: [{ ref: integrations }]
`;
      },
    });
    expect(figures.errors + figures.throttles + figures.drops).toBeGreaterThan(0);

    await inSandbox(dir, 'intacct-sandbox', async (url) => {
      const api = new IntacctApi(url);
      const rows = async (object: string, fields: string[]) => {
        const r = await api.call('POST', '/services/core/query', { object, fields, size: 4000 });
        return (r.json as { 'ia::result': Array<Record<string, unknown>> })['ia::result'];
      };
      const users = (await rows('company-config/user', ['id'])).map((r) => String(r.id));
      expectEachOnce(users, [...ids, 'WS_INVOICE_PORTAL', 'WS_BI_EXPORT']);
      expectEachOnce(
        (await rows('company-config/role', ['id'])).map((r) => String(r.id)),
        ['AP Sync', 'GL Read'],
      );
      expectEachOnce(
        (await rows('company-config/user-group', ['id'])).map((r) => String(r.id)),
        ['Integrations'],
      );
      // A membership is made by its own create: doubled, it would show twice.
      const members = await rows('company-config/user-group-member', ['user.key', 'userGroup.key']);
      expectEachOnce(
        members.map((m) => JSON.stringify([m['user.key'], m['userGroup.key']])),
        [],
      );
      expect(members).toHaveLength(INTACCT_USERS + 2);
    });
  });

  it(`AFAS: the example plus ${AFAS_USERS} generated token users converge, each user inserted once`, async () => {
    const ids = Array.from({ length: AFAS_USERS }, (_, u) => `12345.WS-GEN-${pad(u)}`);
    const { dir } = await convergeWithGenerated({
      name: 'afas',
      example: 'afas',
      count: AFAS_USERS,
      applyArgs: ['--sandbox-operator'],
      doc: (u) => `apiVersion: roster/v1
kind: ServiceAccount
metadata:
  name: gen-${pad(u)}
  provider: afas-sandbox
  labels: { owner: platform, purpose: fault-test }
spec:
  userId: ${ids[u]}
  name: Generated ${pad(u)}
  email: ws-gen-${pad(u)}@example.com
  windows: false
  inSite: true
  groups: [{ ref: invoice-app-users }]
  blocked: false
`,
    });

    await inSandbox(dir, 'afas-sandbox', async (url) => {
      const res = await fetch(`${url}/ProfitRestServices/connectors/Profit_Users?skip=0&take=10000`, {
        headers: {
          authorization: `AfasToken ${Buffer.from('<token><version>1</version><data>ANY</data></token>').toString('base64')}`,
        },
      });
      expect(res.status).toBe(200);
      const users = ((await res.json()) as { rows: Array<{ UserId: string }> }).rows.map((r) => r.UserId);
      expectEachOnce(
        users.filter((u) => u.includes('.WS-')),
        [...ids, '12345.WS-INVOICE-SYNC'],
      );
    });
  });

  it(`Autotask: the example plus ${AUTOTASK_USERS} generated API users converge, each user once`, async () => {
    const emailOf = (u: number) => `api-gen-${pad(u)}@example.com`;
    const emails = ['alerts@example.com', ...Array.from({ length: AUTOTASK_USERS }, (_, u) => emailOf(u))];
    const { dir } = await convergeWithGenerated({
      name: 'autotask',
      example: 'autotask',
      count: AUTOTASK_USERS,
      applyArgs: ['--sandbox-operator'],
      doc: (u) => `apiVersion: roster/v1
kind: ServiceAccount
metadata:
  name: gen-${pad(u)}
  provider: autotask-prod
  labels: { owner: platform, purpose: fault-test }
spec:
  firstName: Generated
  lastName: N${pad(u)}
  email: ${emailOf(u)}
  securityLevel: { ref: alerts-api }
  integrationVendor: Office Protect - Alert Integration
  active: ${u % 3 === 0 ? 'false' : 'true'}
  locked: false
`,
    });

    await inSandbox(dir, 'autotask-prod', async (url) => {
      const res = await fetch(`${url}/ATServicesRest/V1.0/Resources/query`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // The sandbox's own calling user: its tracking identifier (no credentials declared).
          ApiIntegrationCode: 'ROSTERSANDBOXINTEGRATIONCOD',
          UserName: 'test@example.com',
          Secret: 'test',
        },
        body: JSON.stringify({ MaxRecords: 500, Filter: [{ op: 'gte', field: 'id', value: 0 }] }),
      });
      expect(res.status).toBe(200);
      const found = ((await res.json()) as { items: Array<{ email: string }> }).items.map((r) => r.email);
      expectEachOnce(
        found.filter((e) => emails.includes(e)),
        emails,
      );
    });
  });
});

describe('--api-budget', () => {
  it("stops at roster's share of what is left of Autotask's hourly threshold, with one message", async () => {
    const dir = copyExample('autotask');
    // 20 requests an hour: the zone lookup leaves 19; a tenth of them is 1 request, the threshold read.
    const env = { ROSTER_AUTOTASK_SANDBOX_THRESHOLD: '20' };
    // A first run (no state yet): --allow-empty-state, so the budget is what stops each command.
    const first = '--allow-empty-state';
    const strict = await roster(['plan', first, '--api-budget', '0.1'], { cwd: dir, env });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(
      /error: Autotask API budget spent: roster has made 1 request in this hour, its budget of 1 \(--api-budget 0\.1 of the 19 requests left of the database's hourly threshold of 20\), .* frees roster's requests by \d\d:\d\d UTC \(in 60 min\)/,
    );
    for (const cmd of [
      ['drift', first],
      ['apply', '--auto-approve', '--sandbox-operator'],
    ]) {
      const r = await roster([...cmd, '--api-budget', '0.1'], { cwd: dir, env });
      expect(r.code, cmd[0]).toBe(1);
      expect(r.stderr, cmd[0]).toContain('error: Autotask API budget spent');
    }
    // The default share (0.5) is enough for a plan.
    const fine = await roster(['plan', first], { cwd: dir, env });
    expect(fine.code, fine.stderr).toBe(0);
    const bad = await roster(['plan', '--api-budget', '2'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--api-budget must be a share in (0, 1], got 2');
  });
});
