import { describe, expect, it } from 'vitest';
import { declared } from '../../kind-fixtures.testing.js';
import type { KindDefinition } from '../../provider.js';
import { account, createDraft, desired } from '../fixtures.testing.js';
import { type Draft, desiredSubject, draft } from './draft.js';
import { executionOf, manualPart } from './execution.js';

const ops = declared({ create: 'manual', read: 'api', update: 'api', delete: 'none' });
// Only the create step of its own: a manual update falls back to the plain step core builds.
const def: KindDefinition = {
  ...account,
  attributes: { ...account.attributes, mfa: { update: 'manual' }, secret: { sensitive: true } },
  ...(ops.api ? { api: ops.api } : {}),
  runbook: { create: ops.runbook!.create! },
};
const subject = desiredSubject(desired('Account', 'a', { id: 'A', mfa: 'on', secret: 'x' }), def);
const update = (changed: string[]): Draft =>
  draft(subject, {
    action: 'update',
    reasons: [],
    before: { id: 'A', mfa: 'off' },
    after: { id: 'A', mfa: 'on', status: 'active' },
    operation: 'update',
    risk: 'low',
    changed,
  });

describe('executionOf', () => {
  it('per attribute for updates: one manual attribute makes the change manual', () => {
    expect(executionOf(update(['status']), def)).toEqual({
      execution: 'api',
      apiAttributes: ['status'],
      manualAttributes: [],
    });
    expect(executionOf(update(['status', 'mfa']), def)).toEqual({
      execution: 'manual',
      apiAttributes: ['status'],
      manualAttributes: ['mfa'],
    });
  });

  it('by the kind’s capability for other operations; none when impossible; adopting only reads', () => {
    const base = { reasons: [], before: null, after: {}, risk: 'low' as const };
    expect(
      executionOf(draft(subject, { ...base, action: 'create', operation: 'create' }), def).execution,
    ).toBe('manual');
    expect(
      executionOf(draft(subject, { ...base, action: 'delete', operation: 'delete' }), def).execution,
    ).toBe('none');
    expect(executionOf(draft(subject, { ...base, action: 'import', operation: 'read' }), def).execution).toBe(
      'api',
    );
    expect(
      executionOf(draft(subject, { ...base, action: 'rotate', operation: 'update' }), def).execution,
    ).toBe('none');
  });
});

describe('manualPart', () => {
  it('a runbook of the manual attributes, sensitive ones left out, the API ones named', () => {
    const d = update(['status', 'mfa']);
    const part = manualPart(d, def, executionOf(d, def));
    expect(part).toMatchObject({ operation: 'update', apiAttributes: ['status'], attributes: ['mfa'] });
    expect(part.runbook).toEqual({
      system: 'p',
      title: 'update Account A',
      uiPath: [],
      fields: [{ label: 'mfa', value: 'on' }],
    });
    expect(JSON.stringify(part)).not.toContain('"secret"');
  });

  it('the provider’s runbook when the kind has one', () => {
    const withRunbook: KindDefinition = {
      ...def,
      runbook: {
        create: (req) => ({
          system: 'S',
          title: `${req.operation} ${Object.keys(req.attributes).join(',')}`,
          uiPath: ['Users'],
          fields: [],
        }),
      },
    };
    const create = draft(subject, createDraft());
    expect(manualPart(create, withRunbook, executionOf(create, withRunbook))).toMatchObject({
      operation: 'create',
      runbook: { title: 'create id,mfa' },
      attributes: ['id', 'mfa'],
    });
  });
});
