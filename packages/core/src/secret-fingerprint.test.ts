import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintSecret, matchesFingerprint } from './secret.js';

// State keeps a fingerprint of each sensitive attribute, never the value: enough to notice a change.
describe('fingerprints of sensitive values in state', () => {
  it('are salted: the same value gives a different fingerprint each time, and no plain hash of it', () => {
    const value = 'Sup3r-s3cret-p4ss';
    const a = fingerprintSecret(value);
    const b = fingerprintSecret(value);
    expect(a).toMatch(/^hmac-sha256:[0-9a-f]{32}:[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    // A dictionary of unsalted hashes of likely passwords finds nothing.
    const plain = createHash('sha256').update(value).digest('hex');
    expect(a).not.toContain(plain);
    expect(a).not.toContain(value);
  });

  it('still compare: a value matches its own fingerprint and no other', () => {
    const f = fingerprintSecret('token-A');
    expect(matchesFingerprint('token-A', f)).toBe(true);
    expect(matchesFingerprint('token-B', f)).toBe(false);
    expect(matchesFingerprint('token-A', 'sha256:abc')).toBe(false);
  });
});
