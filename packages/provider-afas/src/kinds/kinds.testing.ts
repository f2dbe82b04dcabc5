import { readFileSync } from 'node:fs';
import type { KindDefinition, RunbookRequest, RunbookStep } from '@roster/core';
import { Secret } from '@roster/core';

/** The kind's runbook step for the request's operation, as core asks for it. */
export function stepOf(def: KindDefinition, req: RunbookRequest): RunbookStep {
  const build = typeof def.runbook === 'object' ? def.runbook[req.operation] : undefined;
  if (!build) throw new Error(`no ${req.operation} step`);
  return build(req);
}

/** Who a runbook step is for, in the runbooks' tests. */
export const base = { address: 'afas/X/y', name: 'y' };

/** A token user as a manifest declares it, for the checks' tests. */
export const account = {
  userId: '12345.WS-INVOICE',
  email: 'ws-invoice@example.com',
  inSite: true,
  groups: [{ ref: 'invoice-app-users' }],
  connector: { ref: 'invoice-app' },
  credentials: { token: Secret.pending('file:/repo/secrets/ws-invoice-sync.token'), rotateAfterDays: 180 },
};

/** The published JSON schema of a kind, as the repository ships it. */
export const published = (kind: string) =>
  readFileSync(new URL(`../../../../schemas/afas/${kind}.schema.json`, import.meta.url), 'utf8');

/** A kind's schema as the schema generator writes it. */
export const schemaText = (def: KindDefinition) => `${JSON.stringify(def.schema, null, 2)}\n`;
