import { describe, expect, it } from 'vitest';
import { checkServiceAccount } from './checks.js';

describe('ServiceAccount checks', () => {
  it('refuses a second primary address and accepts one', () => {
    const two = { value: 'a@x.example', primary: true };
    expect(
      checkServiceAccount({
        name: 'bot',
        spec: { userName: 'bot', emails: [two, { ...two, value: 'b@x.example' }] },
      }).diagnostics,
    ).toEqual([expect.objectContaining({ code: 'scim.email.primary', path: '/emails/1/primary' })]);
    expect(
      checkServiceAccount({ name: 'bot', spec: { userName: 'bot', emails: [two] } }).diagnostics,
    ).toEqual([]);
  });
});
