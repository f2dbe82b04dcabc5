import { describe, expect, it } from 'vitest';
import { emptyStateDocument } from '../state/document.js';
import type { StateDocument } from '../state/types.js';
import { missingStateDiagnostic, stateStored, unknownAddressDiagnostics } from './refuse-guess.js';

const none = (): StateDocument => emptyStateDocument();
const stored = (addresses: string[] = []): StateDocument => ({
  ...emptyStateDocument(),
  serial: 3,
  resources: Object.fromEntries(
    addresses.map((a) => {
      const [provider = '', kind = '', name = ''] = a.split('/');
      return [a, { provider, kind, name, id: '1', naturalKey: name, attributes: {}, dependencies: [] }];
    }),
  ),
});

describe('missingStateDiagnostic', () => {
  const check = { command: 'drift', declared: 2, location: '/p/.roster/state.json', allowEmptyState: false };

  it('refuses no state while the manifests declare resources, in one line saying how to start', () => {
    const d = missingStateDiagnostic({ ...check, state: none() });
    expect(d).toMatchObject({ severity: 'error', code: 'state.missing' });
    expect(d?.message).toContain('no state at /p/.roster/state.json');
    expect(d?.message).toContain('declare 2 resources');
    expect(d?.message).toContain('it would report no drift');
    for (const way of ['roster apply', 'roster import ADDR ID', '--allow-empty-state'])
      expect(d?.message).toContain(way);
    expect(d?.message).not.toContain('\n');
  });

  it('accepts --allow-empty-state, a stored state even when empty, and manifests that declare nothing', () => {
    expect(missingStateDiagnostic({ ...check, state: none(), allowEmptyState: true })).toBeUndefined();
    expect(missingStateDiagnostic({ ...check, state: stored() })).toBeUndefined();
    expect(missingStateDiagnostic({ ...check, state: none(), declared: 0 })).toBeUndefined();
  });

  it('tells stored state from none by its serial', () => {
    expect(stateStored(none())).toBe(false);
    expect(stateStored(stored())).toBe(true);
  });
});

describe('unknownAddressDiagnostics', () => {
  const declared = ['intacct/ServiceAccount/invoice-portal', 'intacct/ServiceAccount/bi-export'];

  it('accepts addresses of the manifests and of state', () => {
    const d = unknownAddressDiagnostics({
      options: [
        { flag: '--target', addresses: ['intacct/ServiceAccount/invoice-portal'] },
        { flag: '--replace', addresses: ['intacct/Group/old'] },
      ],
      declared,
      state: stored(['intacct/Group/old']),
    });
    expect(d).toEqual([]);
  });

  it('names the nearest existing addresses of an unknown one, each flag on its own line', () => {
    const d = unknownAddressDiagnostics({
      options: [
        { flag: '--target', addresses: ['intacct/ServiceAccount/invoice-portl'] },
        { flag: '--replace', addresses: ['intacct/Group/olt', 'nothing/Like/this-at-all'] },
      ],
      declared,
      state: stored(['intacct/Group/old']),
    });
    expect(d.map((x) => x.code)).toEqual([
      'plan.unknown-address',
      'plan.unknown-address',
      'plan.unknown-address',
    ]);
    expect(d[0]?.message).toBe(
      '--target intacct/ServiceAccount/invoice-portl: no such resource in the manifests or state; did you mean intacct/ServiceAccount/invoice-portal?',
    );
    expect(d[1]?.message).toContain('did you mean intacct/Group/old?');
    expect(d[2]?.message).not.toContain('did you mean');
  });
});
