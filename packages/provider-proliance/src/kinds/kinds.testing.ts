/**
 * The fixtures the kinds' unit tests share: one security role and one
 * integration account as a manifest gives them, and the helpers that check a
 * spec against its schema and run a runbook step.
 */
import { readFileSync } from 'node:fs';
import { type KindRunbook, type RunbookRequest, SchemaValidator } from '@roster/core';

/** A security role spec as a manifest declares it. */
export const role = {
  name: 'Integration - Project Sync',
  description: 'Reads projects, updates costs',
  permissions: { Projects: ['Read', 'Update'], 'Cost Management': ['Read'] },
  securityPermissions: false,
};

/** An integration account spec as a manifest declares it. */
export const account = {
  owner: { staff: 'S-1002' },
  accountName: 'procore-sync',
  securityCategory: 'Integration',
  roles: [{ ref: 'project-sync' }],
  systemIntegration: { externalSystem: 'Procore', externalAccount: 'svc-proliance@procore.example' },
  active: true,
};

const validator = new SchemaValidator();

/** The JSON pointers of what `value` breaks in `schema`. */
export const problems = (schema: Record<string, unknown>, value: unknown) => {
  const r = validator.check(schema, value, '/spec');
  if ('schemaError' in r) throw new Error(r.schemaError);
  return r.problems.map((p) => p.pointer);
};

/** The published JSON schema of a kind, as the repository ships it. */
export const published = (kind: string) =>
  readFileSync(new URL(`../../../../schemas/proliance/${kind}.schema.json`, import.meta.url), 'utf8');

/** The step of the operation a request asks for, from a kind's runbook. */
export const runbookOf = (steps: KindRunbook) => (req: RunbookRequest) => steps[req.operation]!(req);

/** A request builder: a create of `base`, with what a test changes on top. */
export const requestOf =
  (base: Omit<RunbookRequest, 'operation'>) =>
  (extra: Partial<RunbookRequest>): RunbookRequest => ({ operation: 'create', ...base, ...extra });
