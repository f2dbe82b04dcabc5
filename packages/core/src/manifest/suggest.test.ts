import { describe, expect, it } from 'vitest';
import { dottedPath } from './pointer.js';
import { didYouMean, nearest, suggest } from './suggest.js';

describe('suggest', () => {
  it('finds a likely typo, and nothing for an unrelated name', () => {
    expect(suggest('autotsak-prod', ['autotask-prod', 'intacct'])).toBe('autotask-prod');
    expect(suggest('zzz', ['autotask-prod', 'intacct'])).toBeUndefined();
    expect(suggest('ab', ['ac', 'ad'])).toBe('ac');
    expect(didYouMean('emial', ['email'])).toBe(' (did you mean email?)');
    expect(didYouMean('x', [])).toBe('');
  });
});

describe('nearest', () => {
  it('lists the close candidates nearest first, ties alphabetically, never the name itself', () => {
    expect(nearest('prodd', ['prod', 'prod2', 'staging', 'prodd', 'prox'])).toEqual([
      'prod',
      'prod2',
      'prox',
    ]);
    expect(nearest('prodd', ['prod', 'prod2', 'prox'], 1)).toEqual(['prod']);
    expect(nearest('zzz', ['prod', 'staging'])).toEqual([]);
  });

  it('takes a limit, so long names sharing a prefix are judged by the part that differs', () => {
    const addresses = ['i/ServiceAccount/invoice-portal', 'i/ServiceAccount/bi-export'];
    expect(nearest('i/ServiceAccount/invoice-portl', addresses)).toEqual(addresses);
    expect(nearest('i/ServiceAccount/invoice-portl', addresses, 3, 4)).toEqual([addresses[0]]);
  });
});

describe('dottedPath', () => {
  it('reads like a path in the manifest', () => {
    expect(dottedPath('/spec/roles/0/ref')).toBe('spec.roles[0].ref');
    expect(dottedPath('/metadata/labels/a~1b')).toBe('metadata.labels["a/b"]');
    expect(dottedPath('')).toBe('');
  });
});
