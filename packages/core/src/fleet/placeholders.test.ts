import { describe, expect, it } from 'vitest';
import { fillPlaceholders, hasPlaceholders } from './placeholders.js';

const lines = [
  'metadata: { name: "svc-${tenant.name}" }',
  'spec:',
  '  email: api@${tenant.domain}',
  '  port: ${tenant.port}',
  '  credentials: { secret: "${tenant.secret}" }',
];
// Every pointer is placed at the start of the value of its line, as a source map would.
const positions: Record<string, { line: number; column: number }> = {
  '/metadata/name': { line: 1, column: 19 },
  '/spec/email': { line: 3, column: 10 },
  '/spec/port': { line: 4, column: 9 },
  '/spec/credentials/secret': { line: 5, column: 27 },
  '/metadata/labels/team': { line: 1, column: 1 },
};
const fill = (value: unknown, variables: Record<string, string | number | boolean>) =>
  fillPlaceholders({
    value,
    variables,
    positionOf: (p) => ({ file: 'b.yaml', ...(positions[p] ?? { line: 1, column: 1 }) }),
    lineText: (n) => lines[n - 1],
    tenant: 'acme',
  });

describe('fillPlaceholders', () => {
  it('fills spec values and metadata.name; a whole placeholder keeps its variable type', () => {
    const r = fill(
      {
        metadata: { name: 'svc-${tenant.name}' },
        spec: { email: 'api@${tenant.domain}', port: '${tenant.port}' },
      },
      { name: 'acme', domain: 'acme.example', port: 8443 },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toEqual({
      metadata: { name: 'svc-acme' },
      spec: { email: 'api@acme.example', port: 8443 },
    });
  });

  it('refuses a variable the tenant does not set, at the placeholder column', () => {
    const r = fill({ spec: { email: 'api@${tenant.domain}' } }, { name: 'acme' });
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'fleet.placeholder',
        message: '${tenant.domain}: tenant acme sets no variable domain (it sets: name)',
        file: 'b.yaml',
        line: 3,
        column: 14,
      },
    ]);
    expect(r.value).toEqual({ spec: { email: 'api@${tenant.domain}' } });
  });

  it('refuses a placeholder in credentials, and outside spec and metadata.name', () => {
    const r = fill(
      {
        metadata: { labels: { team: '${tenant.name}' } },
        spec: { credentials: { secret: '${tenant.secret}' } },
      },
      { name: 'acme', secret: 'x' },
    );
    expect(r.diagnostics.map((d) => [d.line, d.column, d.message.split(':')[0]])).toEqual([
      [1, 24, '${tenant.name}'],
      [5, 27, '${tenant.secret} in a credentials block'],
    ]);
  });

  it('tells whether a value holds a placeholder', () => {
    expect(hasPlaceholders({ a: ['x', { b: 'y-${tenant.z}' }] })).toBe(true);
    expect(hasPlaceholders({ a: '${env:X}' })).toBe(false);
  });
});
