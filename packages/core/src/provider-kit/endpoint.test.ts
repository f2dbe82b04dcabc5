import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  endpointSchema,
  HTTPS_URL_PATTERN,
  isLoopback,
  isSandboxEndpoint,
  LOOPBACK_URL_PATTERN,
} from './endpoint.js';

describe('isLoopback', () => {
  it('accepts a served sandbox on this machine, with or without a path', () => {
    for (const url of [
      'http://127.0.0.1:8080',
      'http://localhost:1/',
      'http://[::1]:4010/ATServicesRest',
      'http://localhost',
    ])
      expect(isLoopback(url), url).toBe(true);
  });

  it('refuses other hosts, https and look-alikes', () => {
    for (const url of [
      'http://10.0.0.1:80',
      'https://127.0.0.1:8080',
      'http://127.0.0.1.example.com',
      'http://localhost:port',
      'sandbox',
    ])
      expect(isLoopback(url), url).toBe(false);
  });
});

describe('isSandboxEndpoint', () => {
  it('is the embedded simulator or a loopback URL, never a real system', () => {
    expect(isSandboxEndpoint('sandbox')).toBe(true);
    expect(isSandboxEndpoint('http://127.0.0.1:4010')).toBe(true);
    expect(isSandboxEndpoint('https://api.example.com')).toBe(false);
    expect(isSandboxEndpoint('auto')).toBe(false);
  });
});

describe('endpointSchema', () => {
  const schema = endpointSchema({
    description: 'where',
    default: 'auto',
    named: [{ const: 'auto', description: 'Look it up.' }],
    https: 'The host over HTTPS.',
  });
  const validate = new Ajv2020({ strict: false }).compile(schema);

  it('lists the named values first, then sandbox, https and loopback', () => {
    expect(schema).toEqual({
      description: 'where',
      default: 'auto',
      anyOf: [
        { const: 'auto', description: 'Look it up.' },
        { const: 'sandbox', description: 'The embedded simulator.' },
        { type: 'string', pattern: HTTPS_URL_PATTERN, description: 'The host over HTTPS.' },
        { type: 'string', pattern: LOOPBACK_URL_PATTERN, description: 'A sandbox served on this machine.' },
      ],
    });
  });

  it('validates what each choice allows and nothing else', () => {
    for (const ok of ['auto', 'sandbox', 'https://host.example/api', 'http://127.0.0.1:4010'])
      expect(validate(ok), ok).toBe(true);
    for (const bad of ['http://host.example', 'https://', 'ftp://x', 'https://a b', 42])
      expect(validate(bad), String(bad)).toBe(false);
  });

  it('has no default unless given', () => {
    expect(endpointSchema({ description: 'd', https: 'h' })).not.toHaveProperty('default');
  });
});
