/**
 * The fixtures the kinds' and the provider checks' unit tests share: one API
 * user and one security level as DESIGN §2's manifest gives them, and the
 * helpers that check a value against a schema and run a runbook step.
 */
import { type KindRunbook, type RunbookRequest, type RunbookStep, SchemaValidator } from '@roster/core';

/** The API user spec of DESIGN §2. */
export const account = {
  email: 'alerts@example.com',
  securityLevel: { ref: 'alerts-api' },
  integrationVendor: 'Office Protect - Alert Integration',
  active: true,
  locked: false,
  credentials: { secret: '(sensitive)', rotateAfterDays: 90 },
};

/** The security level spec of DESIGN §2. */
export const level = {
  name: 'Office Protect Alerts (API)',
  copiedFrom: "API User (system) Can't Read Costs (API-only)",
  permissions: { 'CRM › Account & Contact Access': 'All', 'Service Desk › Tickets': ['View', 'Add', 'Edit'] },
};

const validator = new SchemaValidator();

/** What `value` breaks in `schema`. */
export const problems = (schema: Record<string, unknown>, value: unknown) => {
  const r = validator.check(schema, value, '/spec');
  if ('schemaError' in r) throw new Error(r.schemaError);
  return r.problems;
};

/** The kind's runbook step for the request's operation; a kind without one has no manual step for it. */
export function stepOf(runbook: KindRunbook, req: RunbookRequest): RunbookStep {
  const step = runbook[req.operation];
  if (!step) throw new Error(`no ${req.operation} step`);
  return step(req);
}

/** A request builder: a create of `base`, with what a test changes on top. */
export const requestOf =
  (base: Omit<RunbookRequest, 'operation'>) =>
  (extra: Partial<RunbookRequest>): RunbookRequest => ({ operation: 'create', ...base, ...extra });
