import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connections, emptyStateDocument, makePlan, openProject, silentLogger } from '@roster/core';
import { afterEach, describe, expect, it } from 'vitest';
import provider from './provider.js';
import { startSimulator } from './sandbox/server.js';

const TOKEN = 'mutability-token';
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Plan a ServiceAccount whose externalId differs from the server's, on a server whose /Schemas says `immutable` or not. */
async function planAgainst(immutable: string[]) {
  const sim = await startSimulator({ credentials: { token: TOKEN }, immutable });
  cleanup.push(() => sim.close());
  const made = await fetch(`${sim.url}/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'svc-imm',
      externalId: 'E1',
    }),
  });
  expect(made.status).toBe(201);
  const dir = mkdtempSync(path.join(tmpdir(), 'scim-mutability-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, 'tools.yaml'),
    `apiVersion: roster/v1
kind: Provider
metadata: { name: tools }
spec: { type: scim, endpoint: "${sim.url}", credentials: { token: "\${env:SCIM_TOKEN}" } }
---
apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: imm, provider: tools, labels: { owner: it, purpose: test } }
spec: { userName: svc-imm, externalId: E2 }
`,
  );
  const project = await openProject({
    paths: [dir],
    cwd: dir,
    providers: [provider],
    env: { SCIM_TOKEN: TOKEN },
  });
  const connections = await Connections.open({
    providers: project.providers.values(),
    stateDir: path.join(dir, '.roster'),
    readOnly: true,
    log: silentLogger,
  });
  cleanup.push(() => connections.close());
  const { plan } = await makePlan({
    project,
    state: emptyStateDocument(),
    connections,
    mode: 'normal',
    log: silentLogger,
  });
  return plan;
}

describe("a server's /Schemas mutability in the plan", () => {
  it('refuses a change of an attribute the server calls immutable, at its manifest line', async () => {
    const plan = await planAgainst(['externalId']);
    expect(plan.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', code: expect.stringMatching(/immutable/), line: 9 }),
    );
  });

  it('plans the same change as an update where the server lets it change', async () => {
    const plan = await planAgainst([]);
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan.changes.map((c) => c.action)).toEqual(['update']);
  });
});
