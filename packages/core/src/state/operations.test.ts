import { describe, expect, it } from 'vitest';
import { UserError } from '../diagnostics.js';
import { listAddresses, moveResource, parseAddress, removeResources, showResource } from './operations.js';
import type { StateDocument, StateResource } from './types.js';

function resource(address: string, dependencies: string[] = []): StateResource {
  const [provider, kind, name] = address.split('/') as [string, string, string];
  return { provider, kind, name, id: `id-${name}`, naturalKey: name, attributes: { name }, dependencies };
}

function sample(): StateDocument {
  const addresses = [
    'intacct-prod/WebServicesUser/sync',
    'autotask-prod/ServiceAccount/office-protect',
    'autotask-prod/SecurityLevel/alerts-api',
    'autotask-test/ServiceAccount/office-protect',
  ];
  const resources: Record<string, StateResource> = {};
  for (const a of addresses) resources[a] = resource(a);
  resources['autotask-prod/ServiceAccount/office-protect']!.dependencies = [
    'autotask-prod/SecurityLevel/alerts-api',
  ];
  return { version: 1, lineage: 'lineage-1', serial: 7, resources };
}

function frozen(doc: StateDocument): StateDocument {
  return JSON.parse(JSON.stringify(doc)) as StateDocument;
}

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('listAddresses', () => {
  it('lists all addresses sorted', () => {
    expect(listAddresses(sample())).toEqual([
      'autotask-prod/SecurityLevel/alerts-api',
      'autotask-prod/ServiceAccount/office-protect',
      'autotask-test/ServiceAccount/office-protect',
      'intacct-prod/WebServicesUser/sync',
    ]);
    expect(listAddresses({ version: 1, lineage: 'l', serial: 0, resources: {} })).toEqual([]);
  });

  it('filters by provider, provider/kind, full address, and * within a segment', () => {
    const doc = sample();
    expect(listAddresses(doc, 'autotask-prod')).toEqual([
      'autotask-prod/SecurityLevel/alerts-api',
      'autotask-prod/ServiceAccount/office-protect',
    ]);
    expect(listAddresses(doc, 'autotask-prod/ServiceAccount')).toEqual([
      'autotask-prod/ServiceAccount/office-protect',
    ]);
    expect(listAddresses(doc, 'intacct-prod/WebServicesUser/sync')).toEqual([
      'intacct-prod/WebServicesUser/sync',
    ]);
    expect(listAddresses(doc, '*/ServiceAccount')).toEqual([
      'autotask-prod/ServiceAccount/office-protect',
      'autotask-test/ServiceAccount/office-protect',
    ]);
    expect(listAddresses(doc, 'autotask-*/*/office-*')).toHaveLength(2);
    // Segments match whole: a prefix of a provider name is not that provider.
    expect(listAddresses(doc, 'autotask')).toEqual([]);
    expect(listAddresses(doc, 'autotask-prod/Service.ccount')).toEqual([]);
  });
});

describe('showResource', () => {
  it('returns the resource', () => {
    const doc = sample();
    expect(showResource(doc, 'intacct-prod/WebServicesUser/sync')).toBe(
      doc.resources['intacct-prod/WebServicesUser/sync'],
    );
  });

  it('suggests near addresses for an unknown one', () => {
    const err = catchError(() => showResource(sample(), 'autotask-prod/ServiceAccount/office-protec'));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('no resource "autotask-prod/ServiceAccount/office-protec" in state');
    expect(err.message).toContain('did you mean "autotask-prod/ServiceAccount/office-protect"');
  });

  it('points at state list when nothing is near, and says when state is empty', () => {
    expect(catchError(() => showResource(sample(), 'zzz/Q/q')).message).toContain('roster state list');
    expect(
      catchError(() => showResource({ version: 1, lineage: 'l', serial: 0, resources: {} }, 'a/B/c')).message,
    ).toContain('the state is empty');
  });
});

describe('removeResources', () => {
  it('forgets resources in a new document with the serial bumped, leaving the input alone', () => {
    const doc = sample();
    const before = frozen(doc);
    const next = removeResources(doc, [
      'autotask-prod/SecurityLevel/alerts-api',
      'intacct-prod/WebServicesUser/sync',
    ]);
    expect(doc).toEqual(before);
    expect(next.serial).toBe(8);
    expect(next.lineage).toBe('lineage-1');
    expect(Object.keys(next.resources).sort()).toEqual([
      'autotask-prod/ServiceAccount/office-protect',
      'autotask-test/ServiceAccount/office-protect',
    ]);
    // A reference to a forgotten resource is dropped.
    expect(next.resources['autotask-prod/ServiceAccount/office-protect']!.dependencies).toEqual([]);
  });

  it('refuses unknown addresses and removes nothing', () => {
    const doc = sample();
    const one = catchError(() =>
      removeResources(doc, [
        'autotask-prod/SecurityLevel/alerts-api',
        'autotask-prod/SecurityLevel/alerts-apj',
      ]),
    );
    expect(one).toBeInstanceOf(UserError);
    expect(one.message).toContain('did you mean "autotask-prod/SecurityLevel/alerts-api"');
    const two = catchError(() => removeResources(doc, ['x/Y/z', 'a/B/c']));
    expect(two.message).toContain('"x/Y/z", "a/B/c"');
    expect(two.message).toContain('nothing was removed');
    expect(catchError(() => removeResources(doc, [])).message).toContain('at least one address');
  });

  it('accepts an address named twice', () => {
    const next = removeResources(sample(), [
      'intacct-prod/WebServicesUser/sync',
      'intacct-prod/WebServicesUser/sync',
    ]);
    expect(Object.keys(next.resources)).toHaveLength(3);
  });
});

describe('moveResource', () => {
  it('renames an address within provider and kind, updating references', () => {
    const doc = sample();
    const before = frozen(doc);
    const next = moveResource(
      doc,
      'autotask-prod/SecurityLevel/alerts-api',
      'autotask-prod/SecurityLevel/alerts',
    );
    expect(doc).toEqual(before);
    expect(next.serial).toBe(8);
    expect(next.resources['autotask-prod/SecurityLevel/alerts-api']).toBeUndefined();
    expect(next.resources['autotask-prod/SecurityLevel/alerts']).toEqual({
      ...doc.resources['autotask-prod/SecurityLevel/alerts-api'],
      name: 'alerts',
    });
    expect(next.resources['autotask-prod/ServiceAccount/office-protect']!.dependencies).toEqual([
      'autotask-prod/SecurityLevel/alerts',
    ]);
  });

  it('refuses a change of provider or kind', () => {
    const doc = sample();
    const kind = catchError(() =>
      moveResource(doc, 'autotask-prod/SecurityLevel/alerts-api', 'autotask-prod/ServiceAccount/alerts-api'),
    );
    expect(kind).toBeInstanceOf(UserError);
    expect(kind.message).toContain('can only be renamed within autotask-prod/SecurityLevel/');
    expect(
      catchError(() =>
        moveResource(doc, 'autotask-prod/SecurityLevel/alerts-api', 'autotask-test/SecurityLevel/alerts-api'),
      ).message,
    ).toContain('can only be renamed');
  });

  it('refuses a malformed, taken, identical or unknown address', () => {
    const doc = sample();
    for (const bad of [
      'alerts',
      'autotask-prod/SecurityLevel',
      'autotask-prod/SecurityLevel/a/b',
      'a//b',
      'a/B/c d',
    ]) {
      expect(
        catchError(() => moveResource(doc, 'autotask-prod/SecurityLevel/alerts-api', bad)).message,
      ).toContain('expected <provider>/<Kind>/<name>');
    }
    expect(
      catchError(() =>
        moveResource(
          doc,
          'autotask-prod/ServiceAccount/office-protect',
          'autotask-prod/ServiceAccount/office-protect',
        ),
      ).message,
    ).toContain('already at that address');
    const next = moveResource(
      doc,
      'autotask-prod/ServiceAccount/office-protect',
      'autotask-prod/ServiceAccount/b',
    );
    const sameTarget = {
      ...next,
      resources: {
        ...next.resources,
        'autotask-prod/ServiceAccount/c': resource('autotask-prod/ServiceAccount/c'),
      },
    };
    expect(
      catchError(() =>
        moveResource(sameTarget, 'autotask-prod/ServiceAccount/c', 'autotask-prod/ServiceAccount/b'),
      ).message,
    ).toContain('autotask-prod/ServiceAccount/b is already in state');
    expect(
      catchError(() =>
        moveResource(doc, 'autotask-prod/ServiceAccount/ofice-protect', 'autotask-prod/ServiceAccount/x'),
      ).message,
    ).toContain('did you mean');
  });
});

describe('parseAddress', () => {
  it('splits provider, kind and name', () => {
    expect(parseAddress('autotask-prod/ServiceAccount/office-protect')).toEqual({
      provider: 'autotask-prod',
      kind: 'ServiceAccount',
      name: 'office-protect',
    });
    expect(parseAddress('Provider/autotask-prod')).toBeUndefined();
  });
});
