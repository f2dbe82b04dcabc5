import type { KindCapabilities } from './kind-operations.js';
import type {
  JsonSchema,
  KindApi,
  KindDefinition,
  KindRunbook,
  ManualOperation,
  RunbookRequest,
  RunbookStep,
} from './provider.js';

/**
 * Test support: a kind's `api` and `runbook` from a capability table, for tests that only plan or
 * that pass their own session to apply. The `api` methods only mark the operation as `api`: calling
 * one is a test bug. `manual` operations get `step` (or a plain step naming the operation).
 */
export function declared(
  caps: Partial<KindCapabilities>,
  step?: (req: RunbookRequest) => RunbookStep,
): Pick<KindDefinition, 'api' | 'runbook'> {
  const api: KindApi = {};
  const runbook: KindRunbook = {};
  const notCalled = (op: string) => () => {
    throw new Error(`${op}: this test passes its own session; the kind's api is not called`);
  };
  const plain = (req: RunbookRequest): RunbookStep => ({
    system: 'Test',
    title: `${req.operation} ${req.kind} ${req.naturalKey}`,
    uiPath: ['Admin'],
    fields: [],
  });
  for (const [op, how] of Object.entries(caps) as Array<[keyof KindCapabilities, string]>) {
    if (how === 'api')
      for (const m of op === 'read' ? (['list', 'read'] as const) : ([op] as const))
        (api as Record<string, unknown>)[m] = notCalled(m);
    if (op === 'read' || how === 'none') continue;
    if (how === 'manual') runbook[op as ManualOperation] = step ?? plain;
    // Updated at all: attributes updated by hand and deactivation by hand use the update's step.
    if (op === 'update') runbook.update = runbook.deactivate = step ?? plain;
  }
  runbook.reconfirm = step ?? plain;
  return { api, runbook };
}

/**
 * Test support: a kind keyed by its `key` attribute, its schema an object of `properties` (none
 * other allowed, `key` required unless `required` says otherwise), deleted by the API, every
 * operation `api` (see {@link declared}); `def` adds to or overrides any of it.
 */
export function keyedKind(
  key: string,
  properties: Record<string, JsonSchema>,
  def: Pick<KindDefinition, 'description' | 'role'> & Partial<KindDefinition> & { required?: string[] },
): KindDefinition {
  const { required = [key], ...rest } = def;
  return {
    schema: { type: 'object', required, properties, additionalProperties: false },
    attributes: {},
    deleteMode: 'delete',
    ...declared({ create: 'api', read: 'api', update: 'api', delete: 'api' }),
    naturalKey: (s) => String(s[key]),
    naturalKeyAttribute: key,
    ...rest,
  };
}

/**
 * Test support: an account kind keyed by `id`, taking any spec, holding what `permissions` says
 * (for the permission world, policy and SoD tests).
 */
export function accountKind(permissions?: KindDefinition['permissions']): KindDefinition {
  return {
    description: 'account',
    role: 'account',
    schema: {},
    attributes: {},
    deleteMode: 'delete',
    ...declared({ create: 'api', read: 'api', update: 'api', delete: 'api' }),
    naturalKey: (s) => String(s.id),
    naturalKeyAttribute: 'id',
    ...(permissions ? { permissions } : {}),
  };
}
