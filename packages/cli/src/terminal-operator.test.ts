import { PassThrough } from 'node:stream';
import type { ManualStepRequest, PlannedChange } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { TerminalOperator } from './terminal-operator.js';

function request(address: string, problems?: string[]): ManualStepRequest {
  return {
    change: { address } as PlannedChange,
    step: {
      system: 'Autotask PSA',
      title: `Create API user for ${address}`,
      uiPath: ['Admin', 'Resources/Users', '+ New', 'New API User'],
      fields: [{ label: 'Integration Vendor', value: 'Office Protect - Alert Integration' }],
      secrets: [{ label: 'Secret', credential: 'secret' }],
    },
    number: 1,
    ...(problems ? { problems } : {}),
    secretTargets: { secret: 'file:/home/ops/secrets/op.secret' },
    connection: {} as ManualStepRequest['connection'],
    operate: {} as ManualStepRequest['operate'],
  };
}

function terminal(answers: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d) => {
    text += String(d);
  });
  input.write(answers.map((a) => `${a}\n`).join(''));
  return { input, output, text: () => text };
}

describe('TerminalOperator', () => {
  it('prints the step with where the secret goes, and waits for done', async () => {
    const t = terminal(['maybe', 'done']);
    const op = new TerminalOperator(t.input, t.output);
    await expect(op.perform(request('at/ServiceAccount/op'))).resolves.toEqual({ status: 'done' });
    expect(t.text()).toContain('Step 1: Create API user for at/ServiceAccount/op');
    expect(t.text()).toContain('Go to:  Admin › Resources/Users › + New › New API User');
    expect(t.text()).toContain('save it in the file /home/ops/secrets/op.secret');
  });

  it('shows what verification found and lets the person skip', async () => {
    const t = terminal(['skip']);
    const op = new TerminalOperator(t.input, t.output);
    const outcome = await op.perform(
      request('at/ServiceAccount/op', ['active is false in the system; the step says true']),
    );
    expect(outcome).toEqual({ status: 'pending', reason: 'left for later by the operator' });
    expect(t.text()).toContain('  - active is false in the system; the step says true');
  });

  it('treats the end of input as "later", and does not ask for steps confirmed with --confirm', async () => {
    const t = terminal([]);
    t.input.end();
    const op = new TerminalOperator(t.input, t.output, new Set(['at/SecurityLevel/l']));
    await expect(op.perform(request('at/SecurityLevel/l'))).resolves.toEqual({ status: 'done' });
    await expect(op.perform(request('at/ServiceAccount/op'))).resolves.toMatchObject({ status: 'pending' });
  });
});
