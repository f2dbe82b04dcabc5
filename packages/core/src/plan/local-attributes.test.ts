import { describe, expect, it } from 'vitest';
import { Secret } from '../secret.js';
import { credentialOrigins, rotateAfterDaysOf, withoutLocal } from './local-attributes.js';

const rules = { credentials: { local: true }, id: {} };
const spec = { id: 'A', credentials: { token: new Secret('t', 'env:TOKEN'), rotateAfterDays: 30 } };

describe('local attributes', () => {
  it('are left out of what is compared and sent', () => {
    expect(withoutLocal(spec, rules)).toEqual({ id: 'A' });
  });

  it('say where each credential is kept, never its value', () => {
    expect(credentialOrigins(spec, rules)).toEqual({ token: 'env:TOKEN' });
    expect(credentialOrigins({ id: 'A' }, rules)).toBeUndefined();
  });

  it('carry credentials.rotateAfterDays, when a positive number', () => {
    expect(rotateAfterDaysOf(spec, rules)).toBe(30);
    expect(rotateAfterDaysOf({ credentials: { rotateAfterDays: 0 } }, rules)).toBeUndefined();
    expect(rotateAfterDaysOf({ id: { rotateAfterDays: 5 } }, rules)).toBeUndefined();
  });
});
