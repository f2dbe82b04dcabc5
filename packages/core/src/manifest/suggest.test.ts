import { describe, expect, it } from 'vitest';
import { dottedPath } from './pointer.js';
import { didYouMean, suggest } from './suggest.js';

describe('suggest', () => {
  it('finds a likely typo, and nothing for an unrelated name', () => {
    expect(suggest('autotsak-prod', ['autotask-prod', 'intacct'])).toBe('autotask-prod');
    expect(suggest('zzz', ['autotask-prod', 'intacct'])).toBeUndefined();
    expect(suggest('ab', ['ac', 'ad'])).toBe('ac');
    expect(didYouMean('emial', ['email'])).toBe(' (did you mean email?)');
    expect(didYouMean('x', [])).toBe('');
  });
});

describe('dottedPath', () => {
  it('reads like a path in the manifest', () => {
    expect(dottedPath('/spec/roles/0/ref')).toBe('spec.roles[0].ref');
    expect(dottedPath('/metadata/labels/a~1b')).toBe('metadata.labels["a/b"]');
    expect(dottedPath('')).toBe('');
  });
});
